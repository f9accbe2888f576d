package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgebridge.config.UnknownDevicePolicy;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.registry.DeviceDirectory;
import io.edgebridge.telemetry.KafkaRecordPlan;
import io.edgebridge.telemetry.Routing;
import io.edgebridge.telemetry.Telemetry;
import io.edgebridge.telemetry.TelemetryRouter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** A device's response is forwarded as one more rule, whose record carries the command's ids as headers. */
class CommandResponsesTest {

    private static KafkaRecordPlan route(MappingRule rule, String topic) {
        TelemetryRouter router = new TelemetryRouter(
                new TopicMapper(List.of(rule)),
                () -> DeviceDirectory.EMPTY,
                UnknownDevicePolicy.ACCEPT,
                1024,
                128,
                "dlq");
        return single(
                router.route(new Telemetry(topic, "{\"ok\":1}".getBytes(StandardCharsets.UTF_8), 1, false, false, 0)));
    }

    private static String header(KafkaRecordPlan plan, String name) {
        Header header = plan.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void theResponseRecordCarriesCorrelationIdDeviceIdAndCommandNameAfterTheEventsHeaders() {
        MappingRule rule = CommandTopics.responseRule(
                "devices/{deviceId}/commands/{name}/response/{correlationId}", "device-command-responses");
        KafkaRecordPlan plan = route(rule, "devices/d1/commands/open/response/c-9");

        assertFalse(plan.isDeadLetter());
        assertEquals("device-command-responses", plan.topic());
        assertEquals("d1", plan.key());
        assertEquals("c-9", header(plan, "correlation-id"));
        assertEquals("d1", header(plan, "device-id"));
        assertEquals("open", header(plan, "command-name"));
        assertEquals(CommandTopics.RESPONSE_EVENT_TYPE, header(plan, "ce_type"));
        List<String> names = new ArrayList<>();
        plan.headers().forEach(h -> names.add(h.key()));
        assertEquals(
                List.of("correlation-id", "device-id", "command-name"),
                names.subList(names.size() - 3, names.size()),
                "after the CloudEvents headers, as before");
    }

    @Test
    void aResponseTopicWithoutANameGivesNoCommandNameHeader() {
        MappingRule rule = CommandTopics.responseRule("answers/{deviceId}/{correlationId}", "responses");
        KafkaRecordPlan plan = route(rule, "answers/d2/c-1");
        assertEquals("c-1", header(plan, "correlation-id"));
        assertEquals("d2", header(plan, "device-id"));
        assertNull(header(plan, "command-name"));
    }

    /** The one record a message of a rule without a transform becomes. */
    private static KafkaRecordPlan single(Routing routing) {
        return assertInstanceOf(KafkaRecordPlan.class, routing, routing::toString);
    }
}
