package io.edgebridge.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.config.UnknownDevicePolicy;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.MappingRule.EventMode;
import io.edgebridge.mapping.MappingRule.PayloadFormat;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.registry.DeviceDirectory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class TelemetryRouterTest {

    private static final long T0 = 1_700_000_000_000L;

    private final TopicMapper mapper = new TopicMapper(List.of(
            RulesLoader.rule(
                    "json",
                    "devices/{deviceId}/telemetry/{stream}",
                    "telemetry.{stream}",
                    null,
                    PayloadFormat.JSON,
                    EventMode.BINARY,
                    null,
                    null,
                    1),
            RulesLoader.rule(
                    "structured",
                    "devices/{deviceId}/events",
                    "events",
                    null,
                    PayloadFormat.JSON,
                    EventMode.STRUCTURED,
                    "com.example.event",
                    null,
                    1),
            RulesLoader.rule(
                    "raw",
                    "devices/{deviceId}/raw",
                    "raw",
                    null,
                    PayloadFormat.ANY,
                    EventMode.STRUCTURED,
                    null,
                    null,
                    1),
            RulesLoader.rule(
                    "plain",
                    "devices/{deviceId}/telemetry",
                    "device-telemetry",
                    null,
                    PayloadFormat.ANY,
                    EventMode.BINARY,
                    null,
                    null,
                    1)));

    private final DeviceDirectory directory = new DeviceDirectory(Map.of("d1", Map.of("site", "plant-a")));

    private TelemetryRouter router(UnknownDevicePolicy policy) {
        return new TelemetryRouter(mapper, () -> directory, policy, 64, 128, "dlq");
    }

    private static Telemetry message(String topic, String payload) {
        return new Telemetry(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false, false, T0);
    }

    private static String header(KafkaRecordPlan plan, String name) {
        Header header = plan.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void binaryEventKeepsPayloadAndCarriesAttributesInHeaders() {
        KafkaRecordPlan plan =
                single(router(UnknownDevicePolicy.ACCEPT).route(message("devices/d1/telemetry/power", "{\"w\":5}")));
        assertNull(plan.rejection());
        assertEquals("telemetry.power", plan.topic());
        assertEquals("d1", plan.key());
        assertEquals("{\"w\":5}", new String(plan.value(), StandardCharsets.UTF_8));
        assertEquals("1.0", header(plan, "ce_specversion"));
        assertEquals("devices/d1/telemetry/power", header(plan, "ce_source"));
        assertEquals("d1", header(plan, "ce_subject"));
        assertEquals("2023-11-14T22:13:20Z", header(plan, "ce_time"));
        assertEquals("application/json", header(plan, "content-type"));
        assertEquals("power", header(plan, "ce_stream"));
        assertEquals("d1", header(plan, "ce_deviceid"));
        assertEquals("plant-a", header(plan, "ce_site"));
        assertEquals("1", header(plan, "ce_mqttqos"));
        assertEquals("false", header(plan, "ce_mqttretained"));
    }

    @Test
    void eventIdsAreUnique() {
        TelemetryRouter router = router(UnknownDevicePolicy.ACCEPT);
        String first = header(single(router.route(message("devices/d1/telemetry", "a"))), "ce_id");
        String second = header(single(router.route(message("devices/d1/telemetry", "a"))), "ce_id");
        assertNotEquals(first, second);
    }

    @Test
    void structuredEventEmbedsJsonDataAndBase64ForOtherPayloads() throws Exception {
        ObjectMapper json = new ObjectMapper();
        KafkaRecordPlan plan =
                single(router(UnknownDevicePolicy.ACCEPT).route(message("devices/d1/events", "[1,2,{\"a\":true}]")));
        assertEquals("application/cloudevents+json; charset=UTF-8", header(plan, "content-type"));
        JsonNode event = json.readTree(plan.value());
        assertEquals("com.example.event", event.get("type").asText());
        assertEquals("plant-a", event.get("site").asText());
        assertEquals(true, event.get("data").get(2).get("a").asBoolean());

        KafkaRecordPlan raw =
                single(router(UnknownDevicePolicy.ACCEPT).route(message("devices/d2/raw", "\u0001binary")));
        JsonNode rawEvent = json.readTree(raw.value());
        assertArrayEquals(
                "\u0001binary".getBytes(StandardCharsets.UTF_8),
                Base64.getDecoder().decode(rawEvent.get("data_base64").asText()));
        assertNull(rawEvent.get("site"), "unknown devices get no registry attributes");
    }

    @Test
    void everyRejectionIsADeadLetterWithItsReasonAndOriginalPayload() {
        TelemetryRouter router = router(UnknownDevicePolicy.REJECT);
        assertDeadLetter(single(router.route(message("other/d1", "x"))), Rejection.NO_MATCHING_RULE, "none");
        assertDeadLetter(
                single(router.route(message("devices/d1/telemetry/temp", "{oops"))), Rejection.INVALID_JSON, "json");
        assertDeadLetter(
                single(router.route(message("devices/d1/telemetry/temp", "{} {}"))), Rejection.INVALID_JSON, "json");
        assertDeadLetter(
                single(router.route(message("devices/d1/telemetry/temp", ""))), Rejection.INVALID_JSON, "json");
        assertDeadLetter(
                single(router.route(message("devices/d1/telemetry/bad topic", "{}"))), Rejection.INVALID_TOPIC, "json");
        assertDeadLetter(
                single(router.route(message("devices/stranger/telemetry", "x"))), Rejection.UNKNOWN_DEVICE, "plain");
        for (String id : new String[] {"d1\u200B", "\u202Ed1", "$d1", "d\u00A01", "d1\uFEFF", "x".repeat(129)}) {
            assertDeadLetter(
                    single(router.route(message("devices/" + id + "/telemetry", "x"))),
                    Rejection.INVALID_DEVICE_ID,
                    "plain");
        }
        KafkaRecordPlan large = single(router.route(message("devices/d1/telemetry", "y".repeat(100))));
        assertEquals(Rejection.PAYLOAD_TOO_LARGE, large.rejection());
        assertEquals(64, large.value().length, "truncated to the limit");
        assertEquals("100", header(large, "dead-letter-payload-size"));
        assertEquals("true", header(large, "dead-letter-payload-truncated"));
    }

    private static void assertDeadLetter(KafkaRecordPlan plan, Rejection reason, String rule) {
        assertEquals(reason, plan.rejection());
        assertEquals("dlq", plan.topic());
        assertEquals(reason.code(), header(plan, "dead-letter-reason"));
        assertEquals(rule, header(plan, "dead-letter-rule"));
        assertTrue(header(plan, "dead-letter-cause").length() > 10);
        assertEquals("false", header(plan, "dead-letter-payload-truncated"));
        assertEquals("1", header(plan, "dead-letter-mqtt-qos"));
    }

    @Test
    void lookAlikeDeviceIdsAreOtherDevicesNotRewrittenOnes() {
        // Cyrillic "а" looks like Latin "a": a different, legal device id, kept exactly as sent.
        KafkaRecordPlan plan =
                single(router(UnknownDevicePolicy.ACCEPT).route(message("devices/\u0430lpha/telemetry", "x")));
        assertNull(plan.rejection());
        assertEquals("\u0430lpha", plan.key());
    }

    @Test
    void unknownDevicesAreAcceptedByDefault() {
        KafkaRecordPlan plan =
                single(router(UnknownDevicePolicy.ACCEPT).route(message("devices/stranger/telemetry", "x")));
        assertNull(plan.rejection());
        assertNull(header(plan, "ce_site"));
    }

    @Test
    void jsonValidationAcceptsAnySingleValue() {
        assertNull(TelemetryRouter.jsonProblem("42".getBytes()));
        assertNull(TelemetryRouter.jsonProblem(" {\"a\":[1,{\"b\":null}]} ".getBytes()));
        assertTrue(TelemetryRouter.jsonProblem("{\"a\":1}x".getBytes()) != null);
        assertTrue(TelemetryRouter.jsonProblem("[1,2".getBytes()) != null);
    }

    @Test
    void segmentRuleNamesAreExtensionNames() {
        MappingRule rule = mapper.rules().get(0);
        assertEquals(List.of("deviceId", "stream"), rule.mqttTopic().segmentNames());
    }

    /** The one record a message of a rule without a transform becomes. */
    private static KafkaRecordPlan single(Routing routing) {
        return assertInstanceOf(KafkaRecordPlan.class, routing, routing::toString);
    }
}
