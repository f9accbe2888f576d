package io.edgebridge.telemetry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.DeviceFleet;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.Metrics;
import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.SharedBrokers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The broker may send the bridge more unacknowledged messages than its window holds: here its in-flight limit is
 * 100 and the window 20 (Mosquitto before 2.0.13 does it with any limit once messages queue). The bridge pauses
 * reading instead of reopening the session: every message arrives once and in order, the window never holds more
 * than its limit, and no overflow (with its reopen and redelivery) happens.
 */
@QuarkusTest
@TestProfile(WindowBackpressureTest.SmallWindow.class)
class WindowBackpressureTest {

    static final String TOPIC = "backpressure-telemetry";
    static final int WINDOW = 20;

    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    RealBrokersResource.class,
                    Map.of(
                            "bridge.mqtt.client-id", "edge-bridge-backpressure",
                            "bridge.rules-file",
                                    RealBrokersResource.write("backpressure-rules.yaml", """
                            rules:
                              - name: pressure
                                mqtt-topic: devices/{deviceId}/pressure
                                kafka-topic: %s
                                format: any
                                mode: binary
                            """.formatted(TOPIC))
                                            .toString(),
                            "bridge.telemetry.max-in-flight", Integer.toString(WINDOW))));
        }
    }

    private static double metric(String name) {
        return Metrics.sum(
                given().get("/q/metrics").then().statusCode(200).extract().asString(), name);
    }

    @Test
    void aBrokerSendingMoreThanTheWindowIsHeldBackByPausedReadsWithoutLossOrReopen() throws Exception {
        int devices = 20;
        int perDevice = 150;
        List<String> ids =
                IntStream.range(0, devices).mapToObj(i -> "press-" + i).toList();
        AtomicInteger maxInFlight = new AtomicInteger();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> maxInFlight.accumulateAndGet((int) metric("edgebridge_telemetry_in_flight"), Math::max),
                0,
                50,
                TimeUnit.MILLISECONDS);
        try (KafkaTopicReader reader =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), TOPIC);
                DeviceFleet fleet = DeviceFleet.start(
                        SharedBrokers.mqtt(),
                        ids,
                        perDevice,
                        1,
                        1_000_000,
                        (device, seq) ->
                                DeviceFleet.Publication.of("devices/" + device + "/pressure", Integer.toString(seq)))) {
            fleet.await(120);
            List<ConsumerRecord<String, byte[]>> records =
                    reader.await(r -> true, devices * perDevice, Duration.ofSeconds(60));
            Map<String, List<Integer>> byDevice = new HashMap<>();
            for (ConsumerRecord<String, byte[]> record : records) {
                byDevice.computeIfAbsent(record.key(), k -> new ArrayList<>())
                        .add(Integer.parseInt(KafkaTopicReader.value(record)));
            }
            List<Integer> expected = IntStream.range(0, perDevice).boxed().toList();
            for (String id : ids) {
                assertEquals(expected, byDevice.get(id), "every message of " + id + " once and in order");
            }
        } finally {
            sampler.shutdownNow();
        }
        double paused = metric("edgebridge_telemetry_reads_paused_total");
        double overflows = metric("edgebridge_telemetry_window_overflows_total");
        System.out.printf(
                "reads paused %.0f times, overflows %.0f, largest window seen %d%n",
                paused, overflows, maxInFlight.get());
        assertTrue(paused > 0, "the broker sent more than the window, so reading paused");
        assertEquals(0.0, overflows, "no message beyond the window was taken, so no session was reopened");
        assertTrue(maxInFlight.get() <= WINDOW, "the window held: " + maxInFlight.get());
    }
}
