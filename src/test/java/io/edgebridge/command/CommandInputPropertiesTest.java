package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.config.UnknownDevicePolicy;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.TopicLevelCheck;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.registry.DeviceDirectory;
import io.edgebridge.telemetry.KafkaRecordPlan;
import io.edgebridge.telemetry.Routing;
import io.edgebridge.telemetry.Telemetry;
import io.edgebridge.telemetry.TelemetryRouter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.statistics.Statistics;

/**
 * Any input to the command path yields either a command that addresses exactly one device topic, or a clear
 * refusal: never an exception, never a topic outside the device's own.
 */
class CommandInputPropertiesTest {

    private final CommandParser parser =
            new CommandParser(new CommandLimits(1024, 128, Duration.ofSeconds(60), Duration.ofHours(24)));
    private final CommandTopics topics = new CommandTopics(
            CommandTopics.commandTopic("devices/{deviceId}/commands/{name}/{correlationId}"),
            CommandTopics.responseRule("devices/{deviceId}/commands/{name}/response/{correlationId}", "responses"));

    @Property(tries = 3000)
    void anAcceptedLevelIsOneSafeTopicLevel(@ForAll @StringLength(max = 140) String value) {
        String problem = TopicLevelCheck.problem(value, 128);
        if (problem == null) {
            assertFalse(value.isEmpty());
            assertTrue(value.length() <= 128);
            assertTrue(value.chars().noneMatch(c -> c == '/' || c == '+' || c == '#' || c == 0 || c < 0x20));
            assertFalse(value.startsWith("$"));
        } else {
            assertFalse(problem.isBlank(), "a refusal says why");
        }
    }

    @Property(tries = 3000)
    void anyKeyAndNameGiveACommandOnTheDevicesOwnTopicOrARefusal(
            @ForAll @StringLength(max = 140) String key,
            @ForAll @StringLength(max = 140) String name,
            @ForAll @StringLength(max = 40) String payload) {
        String value = "{\"name\":" + quote(name) + ",\"payload\":" + quote(payload) + "}";
        CommandCheck result = parser.parse(
                key,
                value.getBytes(StandardCharsets.UTF_8),
                Instant.parse("2026-11-23T10:00:00Z"),
                "device-commands-0-1");
        Statistics.label("outcome").collect(result instanceof CommandCheck.Passed ? "passed" : "refused");
        Statistics.label("outcome").coverage(check -> check.check("passed").percentage(p -> p > 1));
        if (result instanceof CommandCheck.Passed parsed) {
            Command command = parsed.command();
            String topic = topics.topicFor(command);
            String[] levels = topic.split("/", -1);
            assertEquals(5, levels.length, "exactly the template's levels: " + topic);
            assertEquals(key, levels[1]);
            assertEquals(name, levels[3]);
            assertEquals(payload, new String(command.payload(), StandardCharsets.UTF_8));
        } else {
            CommandCheck.Refused refused = (CommandCheck.Refused) result;
            assertNotNull(refused.reason());
            assertFalse(refused.detail().isBlank());
        }
    }

    @Property(tries = 2000)
    void anyBytesOnTheCommandsTopicGiveACommandOrARefusal(@ForAll byte[] value) {
        CommandCheck result = parser.parse("dev-1", value, Instant.EPOCH, "t-0-0");
        assertNotNull(result);
        if (result instanceof CommandCheck.Refused refused) {
            assertNotNull(refused.statusEvent(Instant.EPOCH).toBytes());
        }
    }

    /** Any topic and payload through the telemetry router: an event or a dead letter with a reason, no exception. */
    @Property(tries = 3000)
    void anyTelemetryBecomesAnEventOrADeadLetter(
            @ForAll @StringLength(max = 80) String topic, @ForAll @StringLength(max = 100) String payload) {
        TelemetryRouter router = new TelemetryRouter(
                new TopicMapper(RulesLoader.defaults()),
                () -> new DeviceDirectory(Map.of()),
                UnknownDevicePolicy.ACCEPT,
                64,
                128,
                "dlq");
        KafkaRecordPlan plan = single(router.route(new Telemetry(
                "devices/" + topic + "/telemetry",
                payload.getBytes(StandardCharsets.UTF_8),
                1,
                false,
                false,
                Instant.EPOCH.toEpochMilli())));
        if (plan.isDeadLetter()) {
            assertEquals("dlq", plan.topic());
            assertNotNull(plan.rejection());
        } else {
            assertEquals("device-telemetry", plan.topic());
            assertEquals(topic, plan.key(), "keyed by the device id level");
            assertFalse(topic.contains("/") || topic.contains("+") || topic.contains("#") || topic.isEmpty());
        }
    }

    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    /** The one record a message of a rule without a transform becomes. */
    private static KafkaRecordPlan single(Routing routing) {
        return assertInstanceOf(KafkaRecordPlan.class, routing, routing::toString);
    }
}
