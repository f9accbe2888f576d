package io.edgebridge.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Device id -> attributes, as read from one version of the registry file. Immutable.
 *
 * <pre>
 * devices:
 *   sensor-001: { site: plant-a, model: tx-100, tenant: acme }
 * </pre>
 * Attribute names become CloudEvents extensions, so they follow the extension naming rule ([a-z0-9], at most 20)
 * and may not shadow an attribute the bridge sets itself.
 */
public record DeviceDirectory(Map<String, Map<String, String>> devices) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static final DeviceDirectory EMPTY = new DeviceDirectory(Map.of());

    public Map<String, String> attributes(String deviceId) {
        return devices.get(deviceId);
    }

    public int size() {
        return devices.size();
    }

    /**
     * Reads and validates a registry file.
     *
     * @param reserved attribute names the bridge sets itself (CloudEvents attributes, MQTT extensions, segments)
     */
    public static DeviceDirectory read(Path file, Set<String> reserved) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new InvalidRegistryException("registry file " + file + " cannot be read: " + e.getMessage());
        }
        JsonNode devices = root == null ? null : root.get("devices");
        if (devices == null || devices.isNull()) {
            return EMPTY;
        }
        if (!devices.isObject()) {
            throw new InvalidRegistryException(
                    "registry file " + file + ": 'devices' must be a mapping of device id" + " to attributes");
        }
        Map<String, Map<String, String>> result = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = devices.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> device = it.next();
            String where = "registry file " + file + ": devices." + device.getKey();
            JsonNode attributes = device.getValue();
            if (attributes == null || attributes.isNull()) {
                result.put(device.getKey(), Map.of());
                continue;
            }
            if (!attributes.isObject()) {
                throw new InvalidRegistryException(where + " must be a mapping of attribute name to value");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> attrs = attributes.fields(); attrs.hasNext(); ) {
                Map.Entry<String, JsonNode> attribute = attrs.next();
                String name = attribute.getKey();
                if (!isExtensionName(name)) {
                    throw new InvalidRegistryException(where + "." + name + ": attribute names are 1-20 of [a-z0-9]"
                            + " (they become CloudEvents extensions)");
                }
                if (reserved.contains(name)) {
                    throw new InvalidRegistryException(where + "." + name + ": '" + name
                            + "' is set by the bridge itself and cannot come from the registry");
                }
                JsonNode value = attribute.getValue();
                if (!value.isValueNode() || value.isNull()) {
                    throw new InvalidRegistryException(where + "." + name + " must be a string, number or boolean");
                }
                values.put(name, value.asText());
            }
            result.put(device.getKey(), Collections.unmodifiableMap(values));
        }
        return new DeviceDirectory(Collections.unmodifiableMap(result));
    }

    static boolean isExtensionName(String name) {
        if (name.isEmpty() || name.length() > 20) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** A registry file that cannot be used; the message names the file, device and attribute. */
    public static final class InvalidRegistryException extends RuntimeException {
        public InvalidRegistryException(String message) {
            super(message);
        }
    }
}
