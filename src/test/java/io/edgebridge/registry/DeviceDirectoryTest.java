package io.edgebridge.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceDirectoryTest {

    @TempDir
    Path dir;

    private DeviceDirectory read(String content) throws Exception {
        Path file = dir.resolve("registry.yaml");
        Files.writeString(file, content);
        return DeviceDirectory.read(file, Set.of("id", "type", "stream"));
    }

    @Test
    void readsYamlAndJson() throws Exception {
        DeviceDirectory yaml = read("""
                devices:
                  d1: { site: plant-a, floor: 3, active: true }
                  d2:
                """);
        assertEquals(Map.of("site", "plant-a", "floor", "3", "active", "true"), yaml.attributes("d1"));
        assertEquals(Map.of(), yaml.attributes("d2"));
        assertNull(yaml.attributes("d3"));
        DeviceDirectory json = read("{\"devices\": {\"d1\": {\"model\": \"tx\"}}}");
        assertEquals("tx", json.attributes("d1").get("model"));
    }

    @Test
    void attributeNamesMustBeExtensionNamesTheBridgeDoesNotSetItself() {
        String bad = assertThrows(
                        DeviceDirectory.InvalidRegistryException.class, () -> read("devices:\n  d1: { Site: x }\n"))
                .getMessage();
        assertTrue(bad.contains("devices.d1.Site"), bad);
        String reserved = assertThrows(
                        DeviceDirectory.InvalidRegistryException.class, () -> read("devices:\n  d1: { stream: x }\n"))
                .getMessage();
        assertTrue(reserved.contains("set by the bridge itself"), reserved);
        assertThrows(DeviceDirectory.InvalidRegistryException.class, () -> read("devices:\n  d1: { a: [1] }\n"));
        assertThrows(DeviceDirectory.InvalidRegistryException.class, () -> read("devices: [d1]\n"));
        assertThrows(DeviceDirectory.InvalidRegistryException.class, () -> read("devices: {d1: {a: 1}\n"));
    }
}
