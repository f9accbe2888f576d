package io.edgebridge.registry;

import static io.edgebridge.testkit.KafkaTopicReader.header;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** With {@code unknown-devices=reject}, only registered devices get through; registering one takes no restart. */
@QuarkusTest
@TestProfile(DeviceRegistryReloadTest.RejectUnknown.class)
class DeviceRegistryReloadTest {

    static final String REGISTRY = "registry-reload.yaml";

    public static class RejectUnknown implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    RealBrokersResource.class,
                    Map.of(
                            "registry", REGISTRY,
                            "bridge.telemetry.unknown-devices", "reject",
                            "bridge.mqtt.client-id", "edge-bridge-reject-unknown")));
        }
    }

    @Test
    void unknownDeviceIsDeadLetteredUntilTheRegistryListsIt() throws Exception {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        String device = "newcomer-" + UUID.randomUUID().toString().substring(0, 6);
        String topic = "devices/" + device + "/telemetry";
        try (SimulatedDevice client = SimulatedDevice.connect(SharedBrokers.mqtt(), device);
                KafkaTopicReader reader = new KafkaTopicReader(
                        SharedBrokers.kafka().bootstrapServers(), "device-telemetry", "device-telemetry-dlq")) {
            client.publish(topic, "before", 1);
            ConsumerRecord<String, byte[]> rejected = reader.await(
                            r -> device.equals(r.key()) && value(r).equals("before"), 1, Duration.ofSeconds(30))
                    .get(0);
            assertEquals("device-telemetry-dlq", rejected.topic());
            assertEquals("unknown-device", header(rejected, "dead-letter-reason"));

            Path registry = Path.of("target", "test-config", REGISTRY);
            Files.writeString(registry, RealBrokersResource.REGISTRY + "  " + device + ": { site: plant-z }\n");
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                client.publish(topic, "after", 1);
                List<ConsumerRecord<String, byte[]>> accepted = reader.await(
                        r -> r.topic().equals("device-telemetry") && device.equals(r.key()), 1, Duration.ofSeconds(2));
                assertEquals(1, accepted.size(), "registered device forwarded after the reload");
                assertEquals("plant-z", header(accepted.get(0), "ce_site"));
            });
        }
        given().get("/q/metrics").then().body(Matchers.containsString("edgebridge_registry_devices 3.0"));
    }
}
