package io.edgebridge.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.TestConfig;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT password comes from bridge.mqtt.password or bridge.mqtt.password-file, never both, never user-less. */
class PasswordSourceTest {

    @TempDir
    Path dir;

    private static BridgeConfig config(Map<String, String> properties) {
        return TestConfig.of(properties);
    }

    @Test
    void aPasswordFileWithAUserNameIsAccepted() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "s3cret\n");
        assertDoesNotThrow(() -> BridgeSetup.validate(
                config(Map.of("bridge.mqtt.username", "bridge", "bridge.mqtt.password-file", file.toString()))));
    }

    @Test
    void bothSourcesAreRefusedNamingTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "s3cret");
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> BridgeSetup.validate(config(Map.of(
                        "bridge.mqtt.username",
                        "bridge",
                        "bridge.mqtt.password",
                        "other",
                        "bridge.mqtt.password-file",
                        file.toString()))));
        assertTrue(
                e.getMessage().startsWith("bridge.mqtt.password-file and bridge.mqtt.password are both set"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("other") && !e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void aMissingFileOrUserNameIsRefusedNamingTheKey() throws Exception {
        ConfigurationException missing = assertThrows(
                ConfigurationException.class,
                () -> BridgeSetup.validate(config(Map.of(
                        "bridge.mqtt.username",
                        "bridge",
                        "bridge.mqtt.password-file",
                        dir.resolve("absent").toString()))));
        assertTrue(missing.getMessage().startsWith("bridge.mqtt.password-file file "), missing.getMessage());
        Path file = Files.writeString(dir.resolve("password"), "s3cret");
        ConfigurationException noUser = assertThrows(
                ConfigurationException.class,
                () -> BridgeSetup.validate(config(Map.of("bridge.mqtt.password-file", file.toString()))));
        assertTrue(noUser.getMessage().startsWith("bridge.mqtt.username is required"), noUser.getMessage());
    }
}
