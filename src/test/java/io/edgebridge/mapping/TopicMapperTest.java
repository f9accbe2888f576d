package io.edgebridge.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.mapping.MappingRule.EventMode;
import io.edgebridge.mapping.MappingRule.PayloadFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicMapperTest {

    private static MappingRule rule(String name, String mqtt, String kafka, String key) {
        return RulesLoader.rule(name, mqtt, kafka, key, PayloadFormat.ANY, EventMode.BINARY, null, null, 1);
    }

    private final TopicMapper mapper = new TopicMapper(List.of(
            rule("streams", "devices/{deviceId}/telemetry/{stream}", "telemetry.{stream}", null),
            rule("plain", "devices/{deviceId}/telemetry", "device-telemetry", null),
            rule("sites", "sites/{site}/devices/{deviceId}/telemetry", "site-telemetry", "{site}.{deviceId}")));

    @Test
    void namedSegmentsFillTopicAndKeyTemplates() {
        TopicMatch match = mapper.match("devices/d-1/telemetry/temperature");
        assertEquals("streams", match.rule().name());
        assertEquals("d-1", match.deviceId());
        assertEquals("telemetry.temperature", match.kafkaTopic());
        assertEquals("d-1", match.kafkaKey(), "the key defaults to the device id");
        assertEquals("temperature", match.segment("stream"));
    }

    @Test
    void keyTemplateCanCombineSegments() {
        TopicMatch match = mapper.match("sites/berlin/devices/d-9/telemetry");
        assertEquals("berlin.d-9", match.kafkaKey());
        assertEquals("site-telemetry", match.kafkaTopic());
    }

    @Test
    void levelCountAndLiteralsMustMatchExactly() {
        assertEquals("plain", mapper.match("devices/d-1/telemetry").rule().name());
        assertNull(mapper.match("devices/d-1/telemetry/a/b"), "a named segment is one level, not several");
        assertNull(mapper.match("devices/d-1/status"));
        assertNull(mapper.match("Devices/d-1/telemetry"), "topics are case sensitive");
        assertNull(mapper.match("devices//telemetry"), "an empty device id level matches no rule");
    }

    @Test
    void firstMatchingRuleWins() {
        TopicMapper ordered = new TopicMapper(List.of(
                rule("special", "devices/{deviceId}/telemetry/alarms", "alarms", null),
                rule("general", "devices/{deviceId}/telemetry/{stream}", "telemetry.{stream}", null)));
        assertEquals(
                "special", ordered.match("devices/x/telemetry/alarms").rule().name());
        assertEquals(
                "general", ordered.match("devices/x/telemetry/power").rule().name());
    }

    @Test
    void subscriptionsAreDerivedFromPatternsOncePerFilterWithTheHighestQos() {
        TopicMapper mapper = new TopicMapper(List.of(
                rule("a", "devices/{deviceId}/telemetry", "a", null),
                RulesLoader.rule(
                        "b",
                        "devices/{deviceId}/telemetry",
                        "b",
                        null,
                        PayloadFormat.ANY,
                        EventMode.BINARY,
                        null,
                        null,
                        2),
                rule("c", "sites/{site}/{deviceId}", "c", null)));
        assertEquals(Map.of("devices/+/telemetry", 2, "sites/+/+", 1), mapper.subscriptions());
    }

    @Test
    void kafkaTopicLegality() {
        assertTrue(TopicMapper.isLegalKafkaTopic("telemetry.temp_1-a"));
        assertFalse(TopicMapper.isLegalKafkaTopic("telemetry.température"));
        assertFalse(TopicMapper.isLegalKafkaTopic("a b"));
        assertFalse(TopicMapper.isLegalKafkaTopic(".."));
        assertFalse(TopicMapper.isLegalKafkaTopic("x".repeat(250)));
    }

    @Test
    void patternsRejectWildcardsAndMalformedSegments() {
        assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse("devices/+/telemetry"));
        assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse("devices/#"));
        assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse("devices/{id/telemetry"));
        assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse("devices/x{id}/telemetry"));
        assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse("devices/{id}/{id}"));
        assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse("devices/{1x}/t"));
        assertEquals("devices/+/t/+", TopicPattern.parse("devices/{a}/t/{b}").subscriptionFilter());
    }

    @Test
    void templatesMayOnlyUseSegmentsOfThePattern() {
        TopicPattern pattern = TopicPattern.parse("devices/{deviceId}/telemetry");
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> Template.parse("telemetry.{stream}", pattern));
        assertTrue(error.getMessage().contains("{stream}"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Template.parse("telemetry.{deviceId", pattern));
        assertThrows(IllegalArgumentException.class, () -> Template.parse("telemetry}", pattern));
        assertEquals("t.d1.x", Template.parse("t.{deviceId}.x", pattern).render(new String[] {"devices", "d1", "t"}));
    }
}
