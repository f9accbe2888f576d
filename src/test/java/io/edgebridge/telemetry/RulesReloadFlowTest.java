package io.edgebridge.telemetry;

import static io.edgebridge.testkit.KafkaTopicReader.value;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.SharedBrokers;
import io.edgebridge.testkit.SimulatedDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A rules file changed under a running bridge: a new rule forwards, a removed one stops, a broken file is refused
 * while the rules before it keep working. The first test needs no subscription change (the rules keep their MQTT
 * filter); the second needs the MQTT session to follow the change, and runs once it does.
 */
@QuarkusTest
@TestProfile(RulesReloadFlowTest.Reloading.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RulesReloadFlowTest {

    static final Path RULES =
            Path.of("target", "test-config", "rules-reload.yaml").toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(30);

    static final String FIRST = """
            rules:
              - name: old-rule
                mqtt-topic: reload/{deviceId}/{kind}
                kafka-topic: reload.old
            """;

    /** Another pattern with the same filter (reload/+/+): routing changes, subscriptions do not. */
    static final String SECOND = """
            rules:
              - name: new-rule
                mqtt-topic: reload/{deviceId}/{stream}
                kafka-topic: reload.new
                format: json
                transform:
                  jslt: '{"v": .v, "stream": $stream}'
            """;

    static final String BROKEN = """
            rules:
              - name: new-rule
                mqtt-topic: reload/{deviceId}/{stream}
                kafka-topic: reload.new
                format: json
                transform:
                  jslt: '{"v": .v'
            """;

    /** {model} is an attribute of sensor-001 in the registry: the segment would overwrite it. */
    static final String CLASHING = """
            rules:
              - name: models
                mqtt-topic: reload/{deviceId}/{model}
                kafka-topic: reload.new
            """;

    /** A new filter (fresh/+) and the old one (reload/+/+) gone: the MQTT session must follow. */
    static final String MOVED = """
            rules:
              - name: fresh
                mqtt-topic: fresh/{deviceId}
                kafka-topic: reload.fresh
            """;

    public static class Reloading implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            SharedBrokers.kafka().createTopics(2, "reload.old", "reload.new", "reload.fresh");
            replace(FIRST);
            return List.of(new TestResourceEntry(
                    RealBrokersResource.class,
                    Map.of(
                            "bridge.rules-file", RULES.toString(),
                            "bridge.rules-reload-interval", "200ms",
                            "bridge.mqtt.client-id", "edge-bridge-reload")));
        }
    }

    /** As a ConfigMap update does: the new version appears whole, never half-written. */
    static void replace(String rules) {
        try {
            Files.createDirectories(RULES.getParent());
            Path next = Files.writeString(RULES.resolveSibling("rules-reload.next"), rules);
            Files.move(next, RULES, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void bridgeIsReady() {
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    private static void awaitReloads(String result, int count) {
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            String metrics =
                    given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertEquals(
                    true,
                    metrics.contains("edgebridge_rules_reloads_total{result=\"" + result + "\"} " + count + ".0"),
                    "reloads " + result);
        });
    }

    /** Where the one record carrying {@code marker} landed. */
    private static String landedOn(KafkaTopicReader reader, String marker) {
        assertEquals(1, reader.await(r -> value(r).contains(marker), 1, WAIT).size(), marker + " arrived");
        List<ConsumerRecord<String, byte[]>> records =
                reader.await(r -> value(r).contains(marker), 2, Duration.ofSeconds(1));
        assertEquals(1, records.size(), marker + " arrived once, on one topic");
        return records.get(0).topic();
    }

    @Test
    @Order(1)
    void aChangedFileRoutesNewMessagesByTheNewRulesAndABrokenOneIsRefused() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (SimulatedDevice device = SimulatedDevice.connect(SharedBrokers.mqtt(), "sensor-001");
                KafkaTopicReader reader = new KafkaTopicReader(
                        SharedBrokers.kafka().bootstrapServers(), "reload.old", "reload.new", "device-telemetry-dlq")) {
            device.publish("reload/sensor-001/temp", "{\"v\":\"" + run + "-1\"}", 1);
            assertEquals("reload.old", landedOn(reader, run + "-1"));

            replace(SECOND);
            awaitReloads("applied", 1);
            device.publish("reload/sensor-001/temp", "{\"v\":\"" + run + "-2\"}", 1);
            assertEquals("reload.new", landedOn(reader, run + "-2"), "the new rule forwards, the removed one stops");

            replace(BROKEN);
            awaitReloads("refused", 1);
            device.publish("reload/sensor-001/temp", "{\"v\":\"" + run + "-3\"}", 1);
            assertEquals("reload.new", landedOn(reader, run + "-3"), "the rules before a broken file keep working");

            replace(CLASHING);
            awaitReloads("refused", 2);
            device.publish("reload/sensor-001/temp", "{\"v\":\"" + run + "-4\"}", 1);
            assertEquals("reload.new", landedOn(reader, run + "-4"));
        }
    }

    /** The MQTT side's part (SubscriptionChanges): new filters subscribed, removed ones unsubscribed. */
    @Test
    @Order(2)
    void subscriptionsFollowTheRules() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (SimulatedDevice device = SimulatedDevice.connect(SharedBrokers.mqtt(), "sensor-001");
                KafkaTopicReader reader = new KafkaTopicReader(
                        SharedBrokers.kafka().bootstrapServers(),
                        "reload.old",
                        "reload.new",
                        "reload.fresh",
                        "device-telemetry-dlq")) {
            replace(MOVED);
            awaitReloads("applied", 2);
            Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                String marker = run + "-" + UUID.randomUUID();
                device.publish("fresh/sensor-001", marker, 1);
                assertEquals(
                        1,
                        reader.await(r -> value(r).equals(marker), 1, Duration.ofSeconds(2))
                                .size(),
                        "subscribed to the new rule's filter");
            });
            device.publish("reload/sensor-001/temp", "{\"v\":\"" + run + "-gone\"}", 1);
            assertEquals(
                    List.of(),
                    reader.await(r -> value(r).contains(run + "-gone"), 1, Duration.ofSeconds(3)),
                    "unsubscribed from the removed rule's filter: not forwarded, not even dead-lettered");
        }
    }
}
