package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.TestConfig;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every bad command or API setting stops startup with its key named first in the message. */
class CommandSetupTest {

    private static String refusal(String key, String value) {
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> new CommandSetup(TestConfig.of(Map.of(key, value))));
        assertEquals(Set.of(key), e.getConfigKeys());
        assertTrue(e.getMessage().startsWith(key), e.getMessage());
        return e.getMessage();
    }

    @Test
    void theDefaultsAreAccepted() {
        CommandSetup setup = new CommandSetup(TestConfig.of(Map.of()));
        assertEquals(CommandTopics.RESPONSE_RULE, setup.topics().responseRule().name());
    }

    @Test
    void eachBadSettingIsRefusedNamingItsKey() {
        assertEquals(
                "bridge.commands.topic 'a b' is not a legal Kafka topic name", refusal("bridge.commands.topic", "a b"));
        refusal("bridge.commands.status-topic", "..");
        refusal("bridge.commands.response-topic", "x/y");
        refusal("bridge.commands.dead-letter-topic", "a#b");
        assertEquals(
                "bridge.commands.topic-template: 'devices/{deviceId}/{colour}' uses {colour}; allowed are"
                        + " [deviceId, name, correlationId]",
                refusal("bridge.commands.topic-template", "devices/{deviceId}/{colour}"));
        refusal("bridge.commands.topic-template", "devices/+/commands");
        assertEquals(
                "bridge.commands.response-topic-template: 'devices/{deviceId}/response' must contain"
                        + " {correlationId}",
                refusal("bridge.commands.response-topic-template", "devices/{deviceId}/response"));
        refusal("bridge.commands.default-ttl", "0s");
        refusal("bridge.commands.max-ttl", "1s");
        refusal("bridge.commands.max-payload-bytes", "0");
        refusal("bridge.commands.max-in-flight", "65536");
        refusal("bridge.commands.max-tracked", "0");
        refusal("bridge.commands.status-history", "0s");
        refusal("bridge.health.status-view-timeout", "0s");
        refusal("bridge.commands.max-id-length", "1025");
        refusal("bridge.api.max-wait", "0s");
        refusal("bridge.api.kafka-write-timeout", "0s");
    }

    @Test
    void theSharedChecksRunFirst() {
        refusal("bridge.mqtt.port", "70000");
    }
}
