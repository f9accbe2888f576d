package io.edgebridge.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.mapping.MappingRule.EventMode;
import io.edgebridge.mapping.MappingRule.PayloadFormat;
import io.edgebridge.mapping.transform.Transform;
import io.edgebridge.mapping.transform.TransformSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesLoaderTest {

    @TempDir
    Path dir;

    private List<MappingRule> load(String yaml) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, yaml);
        return RulesLoader.load(file);
    }

    private String failure(String yaml) {
        return assertThrows(RulesLoader.InvalidRulesException.class, () -> load(yaml))
                .getMessage();
    }

    private void assertFails(String yaml, String expected) {
        String message = failure(yaml);
        assertTrue(message.contains(expected), message);
    }

    @Test
    void readsEveryKeyWithDefaults() throws Exception {
        List<MappingRule> rules = load("""
                rules:
                  - name: streams
                    mqtt-topic: devices/{deviceId}/telemetry/{stream}
                    kafka-topic: telemetry.{stream}
                    kafka-key: "{deviceId}-{stream}"
                    format: json
                    mode: structured
                    event-type: com.example.reading
                    qos: 2
                  - name: plain
                    mqtt-topic: devices/{deviceId}/telemetry
                    kafka-topic: device-telemetry
                """);
        MappingRule streams = rules.get(0);
        assertEquals(PayloadFormat.JSON, streams.format());
        assertEquals(EventMode.STRUCTURED, streams.mode());
        assertEquals("com.example.reading", streams.eventType());
        assertEquals("application/json", streams.contentType());
        assertEquals(2, streams.qos());
        MappingRule plain = rules.get(1);
        assertEquals(PayloadFormat.ANY, plain.format());
        assertEquals(EventMode.BINARY, plain.mode());
        assertEquals(RulesLoader.DEFAULT_EVENT_TYPE, plain.eventType());
        assertEquals("application/octet-stream", plain.contentType());
        assertEquals(1, plain.qos());
        assertNull(streams.transform());
        assertNull(plain.transform());
    }

    @Test
    void transformNeedsJsonFromCodeToo() {
        Transform transform = Transform.compile(TransformSpec.of(null, ".", null));
        String message = assertThrows(
                        IllegalArgumentException.class,
                        () -> RulesLoader.rule(
                                "r",
                                "d/{deviceId}",
                                "t",
                                null,
                                PayloadFormat.ANY,
                                EventMode.BINARY,
                                null,
                                null,
                                1,
                                transform))
                .getMessage();
        assertTrue(message.contains("'format: json'"), message);
        assertEquals(
                transform,
                RulesLoader.rule(
                                "r",
                                "d/{deviceId}",
                                "t",
                                null,
                                PayloadFormat.JSON,
                                EventMode.BINARY,
                                null,
                                null,
                                1,
                                transform)
                        .transform());
    }

    @Test
    void jsonFilesWorkToo() throws Exception {
        List<MappingRule> rules = load("""
                {"rules": [{"name": "r", "mqtt-topic": "d/{deviceId}", "kafka-topic": "t"}]}
                """);
        assertEquals("d/+", rules.get(0).mqttTopic().subscriptionFilter());
    }

    @Test
    void defaultRuleMapsDeviceTelemetry() {
        MappingRule rule = RulesLoader.defaults().get(0);
        assertEquals("devices/+/telemetry", rule.mqttTopic().subscriptionFilter());
        assertEquals("device-telemetry", rule.kafkaTopic().toString());
        assertEquals("{deviceId}", rule.kafkaKey().toString());
    }

    @Test
    void errorsNameTheRuleAndTheKey() {
        assertFails("""
                rules:
                  - name: good
                    mqtt-topic: devices/{deviceId}/telemetry
                    kafka-topic: t
                  - name: broken
                    mqtt-topic: devices/{deviceId}/telemetry/{stream}
                    kafka-topic: telemetry.{streams}
                """, "rules[1] 'broken': 'kafka-topic'");
        assertFails("""
                rules:
                  - name: r
                    mqtt-topic: devices/{device}/telemetry
                    kafka-topic: t
                """, "must contain a {deviceId} segment");
        assertFails("""
                rules:
                  - name: r
                    mqtt-topic: devices/{deviceId}/telemetry
                    kafka-topic: t
                    kafka-topik: x
                """, "unknown key 'kafka-topik'");
        assertFails("""
                rules:
                  - name: r
                    mqtt-topic: devices/{deviceId}/telemetry
                    kafka-topic: t
                    format: xml
                """, "'format' is 'xml', expected one of [any, json]");
        assertFails("""
                rules:
                  - name: r
                    mqtt-topic: devices/{deviceId}/telemetry
                    kafka-topic: "bad topic"
                """, "'kafka-topic' 'bad topic' contains ' '");
        assertFails("""
                rules:
                  - name: r
                    mqtt-topic: devices/{deviceId}/{type}
                    kafka-topic: t
                """, "would overwrite the CloudEvents attribute 'type'");
        assertFails("""
                rules:
                  - name: r
                    mqtt-topic: a/{deviceId}
                    kafka-topic: t
                  - name: r
                    mqtt-topic: b/{deviceId}
                    kafka-topic: t
                """, "rules[1] 'r': 'name' is used by an earlier rule");
        assertFails("rules: []", "non-empty list under 'rules'");
        assertFails("""
                rules:
                  - name: r
                    mqtt-topic: a/{deviceId}
                    kafka-topic: t
                    qos: 3
                """, "'qos' must be 0, 1 or 2");
    }

    @Test
    void unreadableFileIsNamed() {
        Path missing = dir.resolve("missing.yaml");
        String message = assertThrows(RulesLoader.InvalidRulesException.class, () -> RulesLoader.load(missing))
                .getMessage();
        assertTrue(message.contains(missing.toString()), message);
    }
}
