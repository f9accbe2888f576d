package io.edgebridge.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.SharedBrokers;
import io.edgebridge.testkit.SimulatedDevice;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Kafka up, MQTT up, but Kafka throttles the bridge's producer to a byte per second (a client quota, as an
 * overloaded or misconfigured cluster would): the window fills, telemetry stops, and readiness must say so. Once
 * the quota is lifted, the window drains and readiness is UP, with nothing lost.
 */
@QuarkusTest
@TestProfile(StalledWindowReadinessTest.SmallWindow.class)
class StalledWindowReadinessTest {

    static final String TOPIC = "stalled-telemetry";

    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    RealBrokersResource.class,
                    Map.of(
                            "bridge.mqtt.client-id", "edge-bridge-stalled-window",
                            "bridge.rules-file",
                                    RealBrokersResource.write("stall-rules.yaml", """
                            rules:
                              - name: stall
                                mqtt-topic: devices/{deviceId}/stall
                                kafka-topic: %s
                            """.formatted(TOPIC))
                                            .toString(),
                            "bridge.telemetry.max-in-flight", "5",
                            "bridge.health.window-full-timeout", "1s")));
        }
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedBrokers.kafka().bootstrapServers());
        return Admin.create(props);
    }

    /** A produce quota on the bridge's telemetry producer: null removes it. */
    private static void produceQuota(Admin admin, Double bytesPerSecond) throws Exception {
        ClientQuotaEntity producer =
                new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "kafka-producer-telemetry-out"));
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                        producer, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", bytesPerSecond)))))
                .all()
                .get();
    }

    @Test
    void aWindowFullForLongerThanTheTimeoutTurnsReadinessDownUntilKafkaTakesRecordsAgain() throws Exception {
        ExecutorService publishers = Executors.newFixedThreadPool(10);
        try (Admin admin = admin();
                SimulatedDevice device = SimulatedDevice.connect(SharedBrokers.mqtt(), "stall-1");
                KafkaTopicReader reader =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), TOPIC)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            produceQuota(admin, 10.0);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
            for (int i = 0; i < 10; i++) {
                String payload = "m-" + i;
                // A QoS 1 publish blocks until the PUBACK, which waits for Kafka: publish from other threads.
                publishers.execute(() -> device.publish("devices/stall-1/stall", payload, 1));
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> given().get("/q/health/ready")
                            .then()
                            .statusCode(503)
                            .body("checks.find { it.name == 'telemetry-window' }.status", equalTo("DOWN"))
                            .body("checks.find { it.name == 'telemetry-window' }.data.inFlight", greaterThan(0))
                            .body("checks.find { it.name == 'mqtt-broker' }.status", equalTo("UP"))
                            .body("checks.find { it.name == 'kafka-broker' }.status", equalTo("UP")));

            produceQuota(admin, null);
            long lifted = System.nanoTime();
            // The producer's connection stays throttled for a while after the quota is gone (28-37 s seen here).
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .untilAsserted(() -> given().get("/q/health/ready")
                            .then()
                            .statusCode(200)
                            .body("checks.find { it.name == 'telemetry-window' }.status", equalTo("UP")));
            System.out.printf(
                    "telemetry-window UP again %d ms after the quota was lifted%n",
                    (System.nanoTime() - lifted) / 1_000_000);
            List<String> received = reader.await(r -> true, 10, Duration.ofSeconds(30)).stream()
                    .map(KafkaTopicReader::value)
                    .distinct()
                    .sorted()
                    .toList();
            assertEquals(10, received.size(), "every message reached Kafka once the topic took writes: " + received);
        } finally {
            publishers.shutdownNow();
        }
    }
}
