package io.edgebridge.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.DeviceFleet;
import io.edgebridge.testkit.DeviceFleet.Publication;
import io.edgebridge.testkit.KafkaServerProcess;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.ProcessMonitor;
import io.edgebridge.testkit.TelemetryCollector;
import io.edgebridge.testkit.TelemetryCollector.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The promise: a message the broker accepted is in Kafka, or still at the broker, whatever crashes. Real
 * Mosquitto with persistence, a real Kafka process, the packaged bridge as its own process; bounded in count
 * and time. Each test prints one line of figures.
 */
class DeliveryGuaranteesIT {

    static final int MAX_IN_FLIGHT = 1000;
    static final int MAX_PAYLOAD = 1024;
    static final java.util.regex.Pattern SEQUENCE = java.util.regex.Pattern.compile("dev-[0-9]+:([0-9]+)");
    static final String RULES = """
            rules:
              - name: streams
                mqtt-topic: devices/{deviceId}/telemetry/{stream}
                kafka-topic: telemetry.{stream}
                format: json
              - name: telemetry
                mqtt-topic: devices/{deviceId}/telemetry
                kafka-topic: device-telemetry
            """;

    Path dir;
    MosquittoBroker mqtt;
    KafkaServerProcess kafka;
    Map<String, String> env;

    @BeforeEach
    void brokers(TestInfo test) throws Exception {
        dir = Path.of("target", "faults", test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime())
                .toAbsolutePath();
        mqtt = MosquittoBroker.start(dir.resolve("mosquitto"), 100);
        kafka = KafkaServerProcess.start(dir.resolve("kafka"));
        kafka.createTopics(8, "device-telemetry", "telemetry.metrics", "device-telemetry-dlq");
        Path rules = Files.writeString(dir.resolve("rules.yaml"), RULES);
        env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-faults");
        env.put("BRIDGE_RULES_FILE", rules.toString());
        env.put("BRIDGE_TELEMETRY_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT));
        env.put("BRIDGE_TELEMETRY_MAX_PAYLOAD_BYTES", Integer.toString(MAX_PAYLOAD));
        env.put("BRIDGE_MQTT_RECONNECT_MAX_BACKOFF", "2s");
        env.put("BRIDGE_HEALTH_KAFKA_CHECK_INTERVAL", "1s");
    }

    @AfterEach
    void stopBrokers() {
        mqtt.close();
        kafka.close();
    }

    private BridgeProcess bridge(String name) {
        // A small heap: buffering beyond the in-flight window would fail here, not just grow.
        BridgeProcess bridge = BridgeProcess.start(env, dir.resolve(name + ".log"), "-Xmx128m");
        assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), "bridge ready:\n" + bridge.output());
        return bridge;
    }

    private static List<String> devices(int count) {
        return IntStream.range(0, count).mapToObj(i -> "dev-" + i).toList();
    }

    private static Publication plain(String device, int seq) {
        return Publication.of("devices/" + device + "/telemetry", device + ":" + seq);
    }

    private static void print(String scenario, long sent, Report report, ProcessMonitor monitor) {
        System.out.printf("fault %s: sent=%d received=%d lost=%d duplicates=%d out_of_order=%d max_rss_mb=%d"
                + " max_in_flight=%d readiness=%s%n", scenario, sent, report.received(), report.lost(),
                report.duplicates(), report.outOfOrder(), monitor.maxRssMb(), monitor.maxInFlight(),
                monitor.readiness());
    }

    private static void awaitReceived(TelemetryCollector collector, long count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (collector.count() < count && System.nanoTime() < deadline) {
            io.edgebridge.testkit.Ports.sleep(50);
        }
    }

    @Test
    void killingTheBridgeMidStreamLosesNothing() throws Exception {
        List<String> devices = devices(100);
        int perDevice = 200;
        try (TelemetryCollector collector = new TelemetryCollector(kafka.bootstrapServers(), false,
                "device-telemetry")) {
            BridgeProcess first = bridge("bridge-1");
            try (ProcessMonitor monitor = new ProcessMonitor(first);
                    DeviceFleet fleet = DeviceFleet.start(mqtt, devices, perDevice, 1, 1000,
                            DeliveryGuaranteesIT::plain)) {
                awaitReceived(collector, 5000, Duration.ofSeconds(60));
                first.process().destroyForcibly().waitFor(); // SIGKILL: no drain, no goodbye
                io.edgebridge.testkit.Ports.sleep(2000);
                BridgeProcess second = bridge("bridge-2");
                monitor.follow(second);
                try (second) {
                    fleet.await(120);
                    Report report = collector.await(TelemetryCollector.expect(devices, perDevice),
                            Duration.ofSeconds(120));
                    print("kill-9-bridge", fleet.accepted(), report, monitor);
                    assertEquals(0, report.lost(), "lost");
                    assertEquals(0, report.outOfOrder(), "per-device order, apart from duplicates");
                    // Bound: what was in Kafka but not yet acknowledged to the broker (the window), plus PUBACKs
                    // still on the wire when the process died.
                    assertTrue(report.duplicates() <= 2L * MAX_IN_FLIGHT,
                            "duplicates bounded by the in-flight window: " + report.duplicates());
                }
            }
        }
    }

    @Test
    void kafkaDownFor30SecondsLosesNothingAndTheBridgeResumesByItself() throws Exception {
        List<String> devices = devices(100);
        int perDevice = 300;
        try (TelemetryCollector collector = new TelemetryCollector(kafka.bootstrapServers(), false,
                "device-telemetry");
                BridgeProcess bridge = bridge("bridge");
                ProcessMonitor monitor = new ProcessMonitor(bridge);
                DeviceFleet fleet = DeviceFleet.start(mqtt, devices, perDevice, 1, 500,
                        DeliveryGuaranteesIT::plain)) {
            awaitReceived(collector, 3000, Duration.ofSeconds(60));
            kafka.stopProcess();
            io.edgebridge.testkit.Ports.sleep(30_000);
            kafka.startProcess();
            fleet.await(180);
            Report report = collector.await(TelemetryCollector.expect(devices, perDevice), Duration.ofSeconds(180));
            print("kafka-down-30s", fleet.accepted(), report, monitor);
            assertEquals(0, report.lost(), "lost");
            assertEquals(0, report.outOfOrder(), "per-device order");
            List<String> readiness = monitor.readiness();
            assertTrue(readiness.indexOf("DOWN") > 0 && readiness.lastIndexOf("UP") > readiness.indexOf("DOWN"),
                    "readiness went DOWN and back UP: " + readiness);
            assertTrue(monitor.maxInFlight() <= MAX_IN_FLIGHT, "in-flight window held: " + monitor.maxInFlight());
            assertTrue(monitor.maxRssMb() < 400, "memory stayed bounded: " + monitor.maxRssMb() + " MB");
            assertTrue(bridge.process().isAlive(), "no restart needed");
        }
    }

    @Test
    void restartingMosquittoMidStreamLosesNothingTheBrokerAccepted() throws Exception {
        List<String> devices = devices(100);
        int perDevice = 200;
        try (TelemetryCollector collector = new TelemetryCollector(kafka.bootstrapServers(), false,
                "device-telemetry");
                BridgeProcess bridge = bridge("bridge");
                ProcessMonitor monitor = new ProcessMonitor(bridge);
                DeviceFleet fleet = DeviceFleet.start(mqtt, devices, perDevice, 1, 1000,
                        DeliveryGuaranteesIT::plain)) {
            awaitReceived(collector, 5000, Duration.ofSeconds(60));
            mqtt.stopProcess();
            io.edgebridge.testkit.Ports.sleep(3000);
            mqtt.startProcess();
            fleet.await(180);
            Report report = collector.await(TelemetryCollector.expect(devices, perDevice), Duration.ofSeconds(120));
            print("mosquitto-restart", fleet.accepted(), report, monitor);
            assertEquals(0, report.lost(), "lost");
            assertEquals(0, report.outOfOrder(), "per-device order, apart from duplicates");
            List<String> readiness = monitor.readiness();
            assertTrue(readiness.indexOf("DOWN") > 0 && readiness.lastIndexOf("UP") > readiness.indexOf("DOWN"),
                    "readiness went DOWN and back UP: " + readiness);
        }
    }

    @Test
    void tenThousandBadMessagesAmongGoodOnesAreAllDeadLetteredWithTheirReason() throws Exception {
        List<String> devices = devices(100);
        int perDevice = 200; // half good, half bad
        String[] kinds = {"invalid-json", "payload-too-large", "invalid-topic"};
        try (TelemetryCollector collector = new TelemetryCollector(kafka.bootstrapServers(), true,
                "telemetry.metrics", "device-telemetry-dlq");
                BridgeProcess bridge = bridge("bridge");
                ProcessMonitor monitor = new ProcessMonitor(bridge);
                DeviceFleet fleet = DeviceFleet.start(mqtt, devices, perDevice, 1, 2000, (device, seq) -> {
                    String good = "{\"n\":\"" + device + ":" + seq + "\"}";
                    if (seq % 2 == 0) {
                        return Publication.of("devices/" + device + "/telemetry/metrics", good);
                    }
                    return switch (kinds[(seq / 2) % 3]) {
                        case "invalid-json" -> Publication.of("devices/" + device + "/telemetry/metrics",
                                "{\"n\":\"" + device + ":" + seq + "\", broken");
                        case "payload-too-large" -> Publication.of("devices/" + device + "/telemetry/metrics",
                                "{\"n\":\"" + device + ":" + seq + "\"," + "x".repeat(MAX_PAYLOAD) + "}");
                        default -> Publication.of("devices/" + device + "/telemetry/bad stream!", good);
                    };
                })) {
            fleet.await(120);
            int total = devices.size() * perDevice;
            awaitReceived(collector, total, Duration.ofSeconds(120));
            List<ConsumerRecord<String, byte[]>> good = collector.records("telemetry.metrics");
            List<ConsumerRecord<String, byte[]>> dead = collector.records("device-telemetry-dlq");
            Map<String, Integer> reasons = new HashMap<>();
            int wrongReason = 0;
            for (ConsumerRecord<String, byte[]> record : dead) {
                String reason = KafkaTopicReader.header(record, "dead-letter-reason");
                reasons.merge(reason, 1, Integer::sum);
                java.util.regex.Matcher number = SEQUENCE.matcher(KafkaTopicReader.value(record));
                int seq = number.find() ? Integer.parseInt(number.group(1)) : -1;
                if (!kinds[(seq / 2) % 3].equals(reason)) {
                    wrongReason++;
                }
            }
            System.out.printf("fault bad-input: sent=%d forwarded=%d dead_lettered=%d reasons=%s wrong_reason=%d"
                    + " max_rss_mb=%d readiness=%s slowest_readiness_ms=%d%n", fleet.accepted(), good.size(),
                    dead.size(), reasons, wrongReason, monitor.maxRssMb(), monitor.readiness(),
                    monitor.maxReadinessMillis());
            assertEquals(total / 2, good.size(), "every good message forwarded");
            assertEquals(total / 2, dead.size(), "every bad message dead-lettered");
            assertEquals(0, wrongReason, "each with its own reason");
            // The bridge never declares itself unready; a probe that timed out on a loaded machine is printed above.
            assertTrue(monitor.readiness().stream().noneMatch("DOWN"::equals), "readiness stayed UP: "
                    + monitor.readiness());
        }
    }

    @Test
    void sigtermDrainsTheInFlightWindowSoARestartDuplicatesNothing() throws Exception {
        List<String> devices = devices(50);
        int perDevice = 200;
        try (TelemetryCollector collector = new TelemetryCollector(kafka.bootstrapServers(), false,
                "device-telemetry")) {
            BridgeProcess first = bridge("bridge-1");
            try (ProcessMonitor monitor = new ProcessMonitor(first);
                    DeviceFleet fleet = DeviceFleet.start(mqtt, devices, perDevice, 1, 1000,
                            DeliveryGuaranteesIT::plain)) {
                awaitReceived(collector, 3000, Duration.ofSeconds(60));
                first.close(); // SIGTERM
                assertTrue(first.output().contains("Draining"), first.output());
                BridgeProcess second = bridge("bridge-2");
                monitor.follow(second);
                try (second) {
                    fleet.await(120);
                    Report report = collector.await(TelemetryCollector.expect(devices, perDevice),
                            Duration.ofSeconds(120));
                    print("sigterm-restart", fleet.accepted(), report, monitor);
                    assertEquals(0, report.lost(), "lost");
                    assertEquals(0, report.duplicates(), "a drained shutdown leaves nothing to redeliver");
                }
            }
        }
    }
}
