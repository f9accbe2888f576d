package io.edgebridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which MQTT 5 user properties of a message become Kafka headers: only allowed names (or any, with {@code *}),
 * under a prefix, at most {@code maxCount} of them and {@code maxBytes} of names and values together, so a device
 * cannot fill Kafka headers. Without a {@code user-properties} block a rule forwards none.
 *
 * <pre>
 * user-properties:
 *   allow: [trace-id, firmware]   # or ['*']
 *   header-prefix: mqtt-          # default mqtt-
 *   max-count: 16                 # default 16, at most 64
 *   max-bytes: 4096               # default 4096, at most 65536
 * </pre>
 */
public record PropertyForwarding(Set<String> allow, String headerPrefix, int maxCount, int maxBytes) {

    public static final String ANY = "*";
    public static final PropertyForwarding NONE = new PropertyForwarding(Set.of(), "mqtt-", 16, 4096);
    static final int COUNT_CEILING = 64;
    static final int BYTES_CEILING = 65_536;
    private static final Set<String> KEYS = Set.of("allow", "header-prefix", "max-count", "max-bytes");

    public PropertyForwarding {
        allow = Set.copyOf(allow);
    }

    /** What one message's user properties give: the headers in their order, and how many were left out. */
    public record Selection(List<Map.Entry<String, String>> headers, int leftOut) {}

    public boolean forwardsAny() {
        return !allow.isEmpty();
    }

    /** The headers for {@code properties} (name, value, in the device's order), within the allow-list and caps. */
    public Selection select(List<? extends Map.Entry<String, String>> properties) {
        if (properties.isEmpty()) {
            return new Selection(List.of(), 0);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(Math.min(properties.size(), maxCount));
        int bytes = 0;
        int leftOut = 0;
        boolean any = allow.contains(ANY);
        for (Map.Entry<String, String> property : properties) {
            String name = property.getKey();
            String value = property.getValue();
            int size = utf8(name) + utf8(value);
            if (!(any || allow.contains(name)) || headers.size() >= maxCount || bytes + size > maxBytes) {
                leftOut++;
                continue;
            }
            bytes += size;
            headers.add(Map.entry(headerPrefix + name, value));
        }
        return new Selection(headers, leftOut);
    }

    private static int utf8(String text) {
        return text.length() < 64 && text.chars().allMatch(c -> c < 0x80)
                ? text.length()
                : text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The rule's {@code user-properties} block; {@link IllegalArgumentException} names the key. */
    static PropertyForwarding parse(JsonNode block) {
        if (block == null || block.isNull()) {
            return NONE;
        }
        if (!block.isObject()) {
            throw new IllegalArgumentException("'user-properties' must be a mapping of " + KEYS);
        }
        for (Iterator<String> it = block.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("user-properties: unknown key '" + key + "' (known: " + KEYS + ")");
            }
        }
        JsonNode list = block.get("allow");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(
                    "user-properties: 'allow' must list the property names to forward (or '*' for any)");
        }
        Set<String> allow = new LinkedHashSet<>();
        for (JsonNode name : list) {
            if (!name.isTextual() || name.textValue().isEmpty()) {
                throw new IllegalArgumentException("user-properties: 'allow' entries must be non-empty strings");
            }
            allow.add(name.textValue());
        }
        JsonNode prefix = block.get("header-prefix");
        if (prefix != null && !prefix.isTextual()) {
            throw new IllegalArgumentException("user-properties: 'header-prefix' must be a string");
        }
        return new PropertyForwarding(
                allow,
                prefix == null ? NONE.headerPrefix() : prefix.textValue(),
                bounded(block, "max-count", NONE.maxCount(), COUNT_CEILING),
                bounded(block, "max-bytes", NONE.maxBytes(), BYTES_CEILING));
    }

    private static int bounded(JsonNode block, String key, int fallback, int ceiling) {
        JsonNode value = block.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt()
                || !value.isIntegralNumber()
                || value.intValue() < 1
                || value.intValue() > ceiling) {
            throw new IllegalArgumentException("user-properties: '" + key + "' must be 1 to " + ceiling);
        }
        return value.intValue();
    }
}
