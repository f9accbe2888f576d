package io.edgebridge.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.config.UnknownDevicePolicy;
import io.edgebridge.mapping.MappingRule.EventMode;
import io.edgebridge.mapping.MappingRule.PayloadFormat;
import io.edgebridge.mapping.PropertyForwarding;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.registry.DeviceDirectory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** A device's MQTT 5 properties on the Kafka record: documented headers, and only what the rule allows. */
class Mqtt5PropertiesTest {

    private static final PropertyForwarding TRACE = new PropertyForwarding(Set.of("trace-id", "fw"), "mqtt-", 3, 64);

    private final TopicMapper mapper = new TopicMapper(List.of(
            RulesLoader.rule(
                            "binary",
                            "devices/{deviceId}/binary",
                            "readings",
                            null,
                            PayloadFormat.ANY,
                            EventMode.BINARY,
                            null,
                            null,
                            1)
                    .withUserProperties(TRACE),
            RulesLoader.rule(
                            "structured",
                            "devices/{deviceId}/structured",
                            "readings",
                            null,
                            PayloadFormat.JSON,
                            EventMode.STRUCTURED,
                            null,
                            null,
                            1)
                    .withUserProperties(TRACE),
            RulesLoader.rule(
                    "closed",
                    "devices/{deviceId}/closed",
                    "readings",
                    null,
                    PayloadFormat.ANY,
                    EventMode.BINARY,
                    null,
                    null,
                    1)));

    private final TelemetryRouter router =
            new TelemetryRouter(mapper, () -> DeviceDirectory.EMPTY, UnknownDevicePolicy.ACCEPT, 4096, 128, "dlq");

    private static final MqttReceived.Properties PROPERTIES = new MqttReceived.Properties(
            "text/csv",
            true,
            42L,
            "devices/d1/replies",
            new byte[] {0, 1, 2},
            List.of(Map.entry("trace-id", "t-1"), Map.entry("secret", "x"), Map.entry("fw", "1.2")));

    private KafkaRecordPlan route(String topic, String payload, MqttReceived.Properties properties) {
        return single(router.route(
                new Telemetry(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false, false, 0L, properties)));
    }

    private static String header(KafkaRecordPlan plan, String name) {
        Header header = plan.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void binaryModeCarriesThePropertiesAsHeadersAndTheContentTypeAsTheEventsOwn() {
        KafkaRecordPlan plan = route("devices/d1/binary", "a,b", PROPERTIES);
        assertEquals("text/csv", header(plan, "content-type"), "the device's content type wins over the rule's");
        assertEquals("utf-8", header(plan, "ce_mqttpayloadformat"));
        assertEquals("42", header(plan, "ce_mqttmessageexpiry"));
        assertEquals("devices/d1/replies", header(plan, "ce_mqttresponsetopic"));
        assertEquals(Base64.getEncoder().encodeToString(new byte[] {0, 1, 2}), header(plan, "ce_mqttcorrelationdata"));
        assertEquals("t-1", header(plan, "mqtt-trace-id"));
        assertEquals("1.2", header(plan, "mqtt-fw"));
        assertNull(header(plan, "mqtt-secret"), "not on the rule's allow-list");
        assertEquals(1, plan.userPropertiesLeftOut());
    }

    @Test
    void structuredModeCarriesThemInTheEventAndUserPropertiesAsHeaders() throws Exception {
        KafkaRecordPlan plan = route("devices/d1/structured", "{\"v\":1}", PROPERTIES);
        JsonNode event = new ObjectMapper().readTree(plan.value());
        assertEquals("text/csv", event.get("datacontenttype").asText());
        assertEquals("devices/d1/replies", event.get("mqttresponsetopic").asText());
        assertEquals("42", event.get("mqttmessageexpiry").asText());
        assertEquals("t-1", header(plan, "mqtt-trace-id"));
    }

    @Test
    void aRuleWithoutAnAllowListForwardsNoUserProperty() {
        KafkaRecordPlan plan = route("devices/d1/closed", "x", PROPERTIES);
        assertNull(header(plan, "mqtt-trace-id"));
        assertEquals(3, plan.userPropertiesLeftOut());
        assertEquals("text/csv", header(plan, "content-type"));
    }

    @Test
    void aHostileDeviceCannotFillKafkaHeaders() {
        List<Map.Entry<String, String>> flood = new ArrayList<>();
        IntStream.range(0, 10_000).forEach(i -> flood.add(Map.entry("trace-id", "x".repeat(i % 50))));
        flood.add(Map.entry("fw", "y".repeat(100_000)));
        MqttReceived.Properties hostile = new MqttReceived.Properties(null, null, null, null, null, flood);
        KafkaRecordPlan plan = route("devices/d1/binary", "x", hostile);
        int forwarded = 0;
        int bytes = 0;
        for (Header header : plan.headers()) {
            if (header.key().startsWith("mqtt-")) {
                forwarded++;
                bytes += header.key().length() - "mqtt-".length() + header.value().length;
            }
        }
        assertEquals(3, forwarded, "max-count");
        assertEquals(true, bytes <= 64, "max-bytes: " + bytes);
        assertEquals(flood.size() - 3, plan.userPropertiesLeftOut());
    }

    @Test
    void mqtt311MessagesLookAsBefore() {
        KafkaRecordPlan plan = route("devices/d1/binary", "x", MqttReceived.Properties.NONE);
        assertEquals("application/octet-stream", header(plan, "content-type"));
        assertNull(header(plan, "ce_mqttresponsetopic"));
        assertEquals(0, plan.userPropertiesLeftOut());
    }

    /** The one record a message of a rule without a transform becomes. */
    private static KafkaRecordPlan single(Routing routing) {
        return assertInstanceOf(KafkaRecordPlan.class, routing, routing::toString);
    }
}
