package io.edgebridge.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.KafkaBroker;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.PrometheusServer;
import io.edgebridge.testkit.SimulatedDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A real Prometheus server scrapes the packaged bridge; what it stored is what the bridge did. */
class PrometheusScrapeIT {

    static final Path WORK = Path.of("target", "prometheus-it").toAbsolutePath();

    @Test
    void prometheusSeesTheBridgeSeriesWithTheRightValues() throws Exception {
        Path dir = WORK.resolve("run-" + System.nanoTime());
        try (MosquittoBroker mqtt = MosquittoBroker.start(dir.resolve("mosquitto"), 100);
                KafkaBroker kafka = KafkaBroker.start()) {
            // Created up front: an auto-created topic once left the idempotent producer retrying
            // OUT_OF_ORDER_SEQUENCE_NUMBER on it for good under load, and 8 of 40 records never arrived.
            kafka.createTopics(1, "device-telemetry", "device-telemetry-dlq");
            Path rules = Files.createDirectories(dir).resolve("rules.yaml");
            Files.writeString(rules, """
                    rules:
                      - name: readings
                        mqtt-topic: devices/{deviceId}/telemetry
                        kafka-topic: device-telemetry
                        format: json
                    """);
            Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-prom");
            env.put("BRIDGE_RULES_FILE", rules.toString());
            try (BridgeProcess bridge = BridgeProcess.start(env, dir.resolve("bridge.log"))) {
                assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), bridge.output());
                try (PrometheusServer prometheus = PrometheusServer.scrape(
                                dir.resolve("prometheus"), "edge-bridge", bridge.httpPort(), "/q/metrics");
                        SimulatedDevice device = SimulatedDevice.connect(mqtt, "prom-1")) {
                    // Publish only once Prometheus holds a sample of the idle counters, so it sees them increase.
                    assertValue(prometheus, "up{job=\"edge-bridge\"}", 1, Duration.ofSeconds(30));
                    assertValue(
                            prometheus,
                            "edgebridge_telemetry_received_total{rule=\"readings\"}",
                            0,
                            Duration.ofSeconds(30));
                    for (int i = 0; i < 40; i++) {
                        device.publish("devices/prom-1/telemetry", "{\"i\":" + i + "}", 1);
                    }
                    for (int i = 0; i < 3; i++) {
                        device.publish("devices/prom-1/telemetry", "not json " + i, 1);
                    }
                    Duration wait = Duration.ofSeconds(30);
                    assertValue(prometheus, "edgebridge_telemetry_received_total{rule=\"readings\"}", 43, wait);
                    assertValue(prometheus, "edgebridge_telemetry_forwarded_total{rule=\"readings\"}", 40, wait);
                    assertValue(
                            prometheus,
                            "edgebridge_telemetry_dead_lettered_total{rule=\"readings\",reason=\"invalid-json\"}",
                            3,
                            wait);
                    assertValue(
                            prometheus,
                            "edgebridge_telemetry_dead_lettered_total{rule=\"readings\",reason=\"payload-too-large\"}",
                            0,
                            wait);
                    assertValue(prometheus, "edgebridge_telemetry_latency_seconds_count", 40, wait);
                    assertValue(prometheus, "edgebridge_broker_connected{broker=\"mqtt\"}", 1, wait);
                    assertValue(prometheus, "edgebridge_broker_connected{broker=\"kafka\"}", 1, wait);
                    assertValue(prometheus, "edgebridge_telemetry_in_flight", 0, wait);
                    assertValue(
                            prometheus,
                            "count({__name__=~\"edgebridge_.+\", rule=~\".*prom-1.*\"}) or vector(0)",
                            0,
                            wait);
                    // rate() needs two scrapes of the buckets; poll until Prometheus has them.
                    String p99Query = "histogram_quantile(0.99,"
                            + " sum(rate(edgebridge_telemetry_latency_seconds_bucket[1m])) by (le))";
                    OptionalDouble p99 = Awaitility.await("a p99 from the latency histogram")
                            .atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(500))
                            .until(
                                    () -> prometheus.query(p99Query),
                                    v -> v.isPresent() && !Double.isNaN(v.getAsDouble()));
                    System.out.printf(
                            "prometheus: p99 latency %.4f s, buckets=%s%n",
                            p99.orElse(Double.NaN),
                            prometheus.query("count(edgebridge_telemetry_latency_seconds_bucket)"));
                    assertTrue(
                            p99.isPresent() && p99.getAsDouble() > 0 && p99.getAsDouble() < 30,
                            "the latency histogram has buckets Prometheus can use: " + p99);
                    assertTrue(
                            prometheus.query("kafka_producer_record_send_total").isPresent()
                                    || prometheus
                                            .query("sum(kafka_producer_record_send_total)")
                                            .isPresent(),
                            "Kafka client metrics stay on");
                    assertTrue(prometheus.query("sum(jvm_memory_used_bytes)").isPresent(), "JVM metrics stay on");
                }
            }
        }
    }

    private static void assertValue(PrometheusServer prometheus, String promql, double expected, Duration wait) {
        OptionalDouble value = prometheus.awaitValue(promql, expected, wait);
        assertEquals(expected, value.orElse(Double.NaN), promql);
    }
}
