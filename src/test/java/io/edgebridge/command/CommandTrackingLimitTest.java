package io.edgebridge.command;

import static io.edgebridge.testkit.KafkaTopicReader.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.CommandDevice;
import io.edgebridge.testkit.KafkaCommandWriter;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.SharedBrokers;
import io.edgebridge.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code bridge.commands.max-tracked} hit: the oldest published commands are let go, counted in
 * {@code edgebridge_commands_forgotten_total} and unknown to GET, while the ones still remembered time out as usual.
 */
@QuarkusTest
@TestProfile(CommandTrackingLimitTest.FourTracked.class)
@QuarkusTestResource(value = RealBrokersResource.class, restrictToAnnotatedClass = true)
class CommandTrackingLimitTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern FORGOTTEN = Pattern.compile("(?m)^edgebridge_commands_forgotten_total (\\S+)$");
    private static final String READER = TestTokens.shared().bearer("test-reader", "commands:read");

    /**
     * Topics of its own: no command left by other tests' applications is replayed into this one's memory, neither
     * from the commands topic nor by the status view from the status topic.
     */
    private static final String TOPIC = "device-commands-tracking";

    private static final String STATUS_TOPIC = "device-command-status-tracking";

    public static class FourTracked implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "bridge.commands.max-tracked",
                    "4",
                    "bridge.commands.topic",
                    TOPIC,
                    "bridge.commands.status-topic",
                    STATUS_TOPIC);
        }
    }

    private static double forgotten() {
        Matcher m = FORGOTTEN.matcher(
                given().get("/q/metrics").then().statusCode(200).extract().asString());
        assertTrue(m.find(), "edgebridge_commands_forgotten_total is served");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void beyondMaxTrackedTheOldestUnfinishedCommandsAreForgottenAndCountedAndTheOthersStillTimeOut() {
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        String prefix = "horn-" + UUID.randomUUID().toString().substring(0, 8);
        String silent = prefix + "-silent";
        try (KafkaCommandWriter commands =
                        new KafkaCommandWriter(SharedBrokers.kafka().bootstrapServers(), TOPIC);
                KafkaTopicReader status =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), STATUS_TOPIC);
                CommandDevice answering = CommandDevice.start(SharedBrokers.mqtt(), prefix + "-answering", c -> "{}");
                CommandDevice device = CommandDevice.start(SharedBrokers.mqtt(), silent, null)) {
            // Waits for the consumer group's assignment; answered, so it is finished when it is let go later.
            commands.write(prefix + "-answering", "{\"name\":\"ping\",\"correlationId\":\"" + prefix + "-warm\"}");
            status.await(
                    r -> json(r).path("correlationId").asText().equals(prefix + "-warm")
                            && json(r).path("status").asText().equals("responded"),
                    1,
                    WAIT);
            double before = forgotten();

            for (int i = 0; i < 6; i++) {
                commands.send(
                        silent, "{\"name\":\"beep\",\"ttlSeconds\":4,\"correlationId\":\"" + prefix + "-" + i + "\"}");
            }
            commands.flush();

            List<ConsumerRecord<String, byte[]>> timedOut = status.await(
                    r -> json(r).path("correlationId").asText().startsWith(prefix + "-")
                            && json(r).path("status").asText().equals("timed-out"),
                    4,
                    WAIT);
            assertEquals(
                    Set.of(prefix + "-2", prefix + "-3", prefix + "-4", prefix + "-5"),
                    timedOut.stream()
                            .map(r -> json(r).path("correlationId").asText())
                            .collect(Collectors.toSet()),
                    "the four commands still remembered time out");
            // What the reader has seen so far, two more seconds included: still only those four time-outs.
            List<String> allTimedOut = status.drain(Duration.ofSeconds(2)).stream()
                    .filter(r -> json(r).path("status").asText().equals("timed-out"))
                    .map(r -> json(r).path("correlationId").asText())
                    .filter(id -> id.startsWith(prefix))
                    .sorted()
                    .toList();
            assertEquals(
                    List.of(prefix + "-2", prefix + "-3", prefix + "-4", prefix + "-5"),
                    allTimedOut,
                    "no time-out for the commands let go");
            assertEquals(6, device.received().size(), "every command still reached the device");
            assertEquals(before + 2, forgotten(), "the two oldest were published when let go, and counted once each");

            given().header("Authorization", READER)
                    .get("/api/v1/commands/{id}", prefix + "-0")
                    .then()
                    .statusCode(404);
            given().header("Authorization", READER)
                    .get("/api/v1/commands/{id}", prefix + "-5")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("timed-out"));
        }
    }

    /**
     * Answered commands with long deadlines leave their deadlines behind; they must not push out the deadlines of
     * the silent commands still remembered (the earliest ones), or those would never time out.
     */
    @Test
    void finishedCommandsWithLaterDeadlinesDoNotCostTheRememberedOnesTheirTimeOuts() {
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        String prefix = "bell-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaCommandWriter commands =
                        new KafkaCommandWriter(SharedBrokers.kafka().bootstrapServers(), TOPIC);
                KafkaTopicReader status =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), STATUS_TOPIC);
                CommandDevice answering = CommandDevice.start(SharedBrokers.mqtt(), prefix + "-answering", c -> "{}");
                CommandDevice silent = CommandDevice.start(SharedBrokers.mqtt(), prefix + "-silent", null)) {
            for (int i = 0; i < 6; i++) {
                commands.send(
                        prefix + "-answering",
                        "{\"name\":\"ping\",\"ttlSeconds\":60,\"correlationId\":\"" + prefix + "-a" + i + "\"}");
            }
            commands.flush();
            status.await(
                    r -> json(r).path("correlationId").asText().startsWith(prefix + "-a")
                            && json(r).path("status").asText().equals("responded"),
                    6,
                    WAIT);
            double before = forgotten();

            for (int i = 0; i < 3; i++) {
                commands.send(
                        prefix + "-silent",
                        "{\"name\":\"beep\",\"ttlSeconds\":3,\"correlationId\":\"" + prefix + "-s" + i + "\"}");
            }
            commands.flush();
            List<ConsumerRecord<String, byte[]>> timedOut = status.await(
                    r -> json(r).path("correlationId").asText().startsWith(prefix + "-s")
                            && json(r).path("status").asText().equals("timed-out"),
                    3,
                    WAIT);
            assertEquals(
                    3,
                    timedOut.stream()
                            .map(r -> json(r).path("correlationId").asText())
                            .distinct()
                            .count(),
                    "each silent command times out");
            assertEquals(before, forgotten(), "nothing unfinished was let go");
        }
    }
}
