package io.edgebridge.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.CommandDevice;
import io.edgebridge.testkit.DeviceFleet;
import io.edgebridge.testkit.DeviceFleet.Publication;
import io.edgebridge.testkit.FaultDirs;
import io.edgebridge.testkit.KafkaCommandWriter;
import io.edgebridge.testkit.KafkaServerProcess;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.Metrics;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.Ports;
import io.edgebridge.testkit.ProcessMonitor;
import io.edgebridge.testkit.SimulatedDevice;
import io.edgebridge.testkit.TelemetryCollector;
import io.edgebridge.testkit.TelemetryCollector.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    static final Pattern SEQUENCE = Pattern.compile("dev-[0-9]+:([0-9]+)");
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
    final List<BridgeProcess> started = new ArrayList<>();
    final List<String> jvmOptions = new ArrayList<>();

    @BeforeEach
    void brokers(TestInfo test) throws Exception {
        dir = FaultDirs.of("", test);
        mqtt = MosquittoBroker.start(dir.resolve("mosquitto"), 100);
        kafka = KafkaServerProcess.start(dir.resolve("kafka"));
        kafka.createBridgeTopics(8, "telemetry.metrics");
        Path rules = Files.writeString(dir.resolve("rules.yaml"), RULES);
        env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-faults");
        env.put("BRIDGE_RULES_FILE", rules.toString());
        env.put("BRIDGE_TELEMETRY_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT));
        env.put("BRIDGE_TELEMETRY_MAX_PAYLOAD_BYTES", Integer.toString(MAX_PAYLOAD));
        env.put("BRIDGE_MQTT_RECONNECT_MAX_BACKOFF", "2s");
        env.put("BRIDGE_HEALTH_KAFKA_CHECK_INTERVAL", "1s");
    }

    @AfterEach
    void stopEverything() {
        started.forEach(BridgeProcess::close);
        mqtt.close();
        kafka.close();
    }

    private BridgeProcess bridge(String name) {
        // A small heap: buffering beyond the in-flight window would fail here, not just grow.
        List<String> options = new ArrayList<>(List.of("-Xmx128m"));
        options.addAll(jvmOptions);
        BridgeProcess bridge = BridgeProcess.start(env, dir.resolve(name + ".log"), options.toArray(String[]::new));
        started.add(bridge);
        assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), "bridge ready:\n" + bridge.output());
        return bridge;
    }

    private static List<String> devices(int count) {
        return IntStream.range(0, count).mapToObj(i -> "dev-" + i).toList();
    }

    private static Publication plain(String device, int seq) {
        return Publication.of("devices/" + device + "/telemetry", device + ":" + seq);
    }

    private static void awaitReceived(TelemetryCollector collector, long count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (collector.count() < count && System.nanoTime() < deadline) {
            Ports.sleep(50);
        }
    }

    /** What a streamed run left behind: the bridge serving at the end, its figures and the monitor's view. */
    private record Run(BridgeProcess bridge, Report report, ProcessMonitor monitor) {}

    /**
     * Streams numbered QoS 1 messages from {@code deviceCount} devices at {@code rate} msg/s through the bridge,
     * applies {@code fault} once {@code faultAfter} records reached Kafka ({@code fault} returns the bridge that
     * serves afterwards), and checks that nothing was lost and every device's order held.
     */
    private Run stream(
            String scenario,
            int deviceCount,
            int perDevice,
            int rate,
            int faultAfter,
            UnaryOperator<BridgeProcess> fault)
            throws Exception {
        return stream(scenario, deviceCount, perDevice, rate, faultAfter, true, fault);
    }

    private Run stream(
            String scenario,
            int deviceCount,
            int perDevice,
            int rate,
            int faultAfter,
            boolean orderKept,
            UnaryOperator<BridgeProcess> fault)
            throws Exception {
        List<String> devices = devices(deviceCount);
        try (TelemetryCollector collector =
                new TelemetryCollector(kafka.bootstrapServers(), false, "device-telemetry")) {
            BridgeProcess bridge = bridge("bridge-1");
            ProcessMonitor monitor = new ProcessMonitor(bridge);
            try (monitor;
                    DeviceFleet fleet =
                            DeviceFleet.start(mqtt, devices, perDevice, 1, rate, DeliveryGuaranteesIT::plain)) {
                awaitReceived(collector, faultAfter, Duration.ofSeconds(60));
                BridgeProcess after = fault.apply(bridge);
                monitor.follow(after);
                fleet.await(180);
                Report report = collector.await(TelemetryCollector.expect(devices, perDevice), Duration.ofSeconds(180));
                System.out.printf(
                        "fault %s: sent=%d received=%d lost=%d duplicates=%d out_of_order=%d"
                                + " max_rss_mb=%d max_in_flight=%d readiness=%s%n",
                        scenario,
                        fleet.accepted(),
                        report.received(),
                        report.lost(),
                        report.duplicates(),
                        report.outOfOrder(),
                        monitor.maxRssMb(),
                        monitor.maxInFlight(),
                        monitor.readiness());
                assertEquals(0, report.lost(), "lost");
                if (orderKept) {
                    assertEquals(0, report.outOfOrder(), "per-device order, apart from duplicates");
                }
                assertTrue(monitor.maxInFlight() <= MAX_IN_FLIGHT, "in-flight window held: " + monitor.maxInFlight());
                assertTrue(monitor.maxRssMb() < 400, "memory stayed bounded: " + monitor.maxRssMb() + " MB");
                return new Run(after, report, monitor);
            }
        }
    }

    /** The bridge's in-flight gauge: messages received and not yet acknowledged by Kafka and to the broker. */
    private static long inFlight(BridgeProcess bridge) {
        HttpResponse<String> metrics = bridge.get("/q/metrics");
        if (metrics == null || metrics.statusCode() != 200) {
            return 0;
        }
        return (long) Metrics.sum(metrics.body(), "edgebridge_telemetry_in_flight");
    }

    private static void assertWentDownAndBackUp(ProcessMonitor monitor) {
        List<String> readiness = monitor.readiness();
        assertTrue(
                readiness.indexOf("DOWN") > 0 && readiness.lastIndexOf("UP") > readiness.indexOf("DOWN"),
                "readiness went DOWN and back UP: " + readiness);
    }

    @Test
    void killingTheBridgeMidStreamLosesNothing() throws Exception {
        String statusTopic = "bridge/edge-bridge-faults/status";
        Run run = stream("kill-9-bridge", 100, 200, 1000, 5000, first -> {
            first.process().destroyForcibly(); // SIGKILL: no drain, no goodbye
            first.awaitExit(Duration.ofSeconds(10));
            assertEquals(
                    "offline",
                    SimulatedDevice.retained(mqtt, statusTopic, Duration.ofSeconds(10)),
                    "the broker published the bridge's last will, retained");
            return bridge("bridge-2");
        });
        assertEquals("online", SimulatedDevice.retained(mqtt, statusTopic, Duration.ofSeconds(10)));
        // Bound: what was in Kafka but not yet acknowledged to the broker (the window), plus PUBACKs still on the
        // wire when the process died.
        assertTrue(
                run.report().duplicates() <= 2L * MAX_IN_FLIGHT,
                "duplicates bounded by the in-flight window: " + run.report().duplicates());
    }

    /**
     * Commands: a SIGKILL mid-stream loses none (unfinished ones are published again, in order), and after a
     * SIGTERM a restarted bridge replays nothing, because every finished command's offset was committed.
     */
    @Test
    void commandsSurviveAKilledBridgeAndAStoppedBridgeReplaysNothing() throws Exception {
        List<String> devices = devices(50);
        int perDevice = 40;
        List<CommandDevice> receivers = new ArrayList<>();
        try {
            for (String id : devices) {
                receivers.add(CommandDevice.start(mqtt, id, null));
            }
            LongSupplier received =
                    () -> receivers.stream().mapToLong(r -> r.received().size()).sum();
            BridgeProcess first = bridge("bridge-1");
            try (KafkaCommandWriter writer = new KafkaCommandWriter(kafka.bootstrapServers(), "device-commands")) {
                for (int seq = 0; seq < perDevice; seq++) {
                    for (String id : devices) {
                        writer.send(
                                id,
                                "{\"name\":\"set\",\"payload\":\"" + seq + "\",\"correlationId\":\"" + id + "-" + seq
                                        + "\",\"ttlSeconds\":600}");
                    }
                }
                writer.flush();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.getAsLong() < 600 && System.nanoTime() < deadline) {
                Ports.sleep(10);
            }
            first.process().destroyForcibly(); // SIGKILL mid-stream
            first.awaitExit(Duration.ofSeconds(10));
            long atKill = received.getAsLong();
            BridgeProcess second = bridge("bridge-2");
            deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (receivers.stream().anyMatch(r -> distinct(r) < perDevice) && System.nanoTime() < deadline) {
                Ports.sleep(50);
            }
            long lost =
                    receivers.stream().mapToLong(r -> perDevice - distinct(r)).sum();
            long duplicates = received.getAsLong()
                    - receivers.stream()
                            .mapToLong(DeliveryGuaranteesIT::distinct)
                            .sum();
            long outOfOrder =
                    receivers.stream().filter(r -> !firstArrivalsInOrder(r)).count();
            Ports.sleep(2000); // let the last acknowledgements and commits happen
            second.close(); // SIGTERM: finished commands are committed
            long beforeRestart = received.getAsLong();
            bridge("bridge-3");
            Ports.sleep(5000);
            long replayed = received.getAsLong() - beforeRestart;
            System.out.printf(
                    "fault commands-kill-9-then-sigterm: sent=%d received_at_kill=%d lost=%d duplicates=%d"
                            + " devices_out_of_order=%d replayed_after_sigterm=%d%n",
                    devices.size() * perDevice, atKill, lost, duplicates, outOfOrder, replayed);
            assertEquals(0, lost, "no command lost");
            assertEquals(0, outOfOrder, "each device got its commands in order (first arrivals)");
            assertTrue(duplicates <= 1000, "duplicates bounded by bridge.commands.max-in-flight: " + duplicates);
            assertEquals(0, replayed, "after a clean stop, a restarted bridge publishes nothing again");
        } finally {
            receivers.forEach(CommandDevice::close);
        }
    }

    private static long distinct(CommandDevice device) {
        return device.received().stream()
                .map(CommandDevice.Received::payload)
                .distinct()
                .count();
    }

    private static boolean firstArrivalsInOrder(CommandDevice device) {
        List<Integer> first = device.received().stream()
                .map(r -> Integer.parseInt(r.payload()))
                .distinct()
                .toList();
        for (int i = 1; i < first.size(); i++) {
            if (first.get(i) < first.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void sigtermDrainsTheInFlightWindowSoARestartDuplicatesNothing() throws Exception {
        Run run = stream("sigterm-restart", 50, 200, 1000, 3000, first -> {
            first.close(); // SIGTERM
            assertTrue(first.output().contains("Draining"), first.output());
            return bridge("bridge-2");
        });
        assertEquals(0, run.report().duplicates(), "a drained shutdown leaves nothing to redeliver");
    }

    @Test
    void kafkaDownFor30SecondsLosesNothingAndTheBridgeResumesByItself() throws Exception {
        Run run = stream("kafka-down-30s", 100, 300, 500, 3000, bridge -> {
            kafka.stopProcess();
            Ports.sleep(30_000);
            kafka.startProcess();
            return bridge;
        });
        assertWentDownAndBackUp(run.monitor());
        assertTrue(run.bridge().process().isAlive(), "no restart needed");
    }

    @Test
    void kafkaWritesThatFinallyFailAreNeverAcknowledgedButRedelivered() throws Exception {
        // The producer gives up on a record after 8 s, well inside the outage: every such record is nacked.
        // Nothing may be lost; per-device order is not promised here (records after a given-up one may already be
        // in Kafka), which is why the default delivery.timeout.ms is "never give up".
        jvmOptions.add("-Dmp.messaging.outgoing.telemetry-out.delivery.timeout.ms=8000");
        jvmOptions.add("-Dmp.messaging.outgoing.telemetry-out.request.timeout.ms=3000");
        // delivery.timeout.ms only covers records already in the producer's buffer. Once every broker is gone the
        // producer forgets the topic's metadata, and a later send() waits up to max.block.ms (default 60 s) for it:
        // without this, a run whose buffer happened to be empty when Kafka stopped saw no write fail at all.
        jvmOptions.add("-Dmp.messaging.outgoing.telemetry-out.max.block.ms=3000");
        long[] waitingDuringOutage = {0};
        Run run = stream("kafka-write-failures", 50, 200, 500, 2000, false, bridge -> {
            kafka.stopProcess();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < until) {
                waitingDuringOutage[0] = Math.max(waitingDuringOutage[0], inFlight(bridge));
                Ports.sleep(500);
            }
            kafka.startProcess();
            return bridge;
        });
        // The scenario itself: messages were handed to a producer that could not reach Kafka for 20 s.
        assertTrue(waitingDuringOutage[0] > 0, "messages waited for Kafka during the outage");
        String metrics = run.bridge().get("/q/metrics").body();
        double redeliveries = Metrics.sum(metrics, "edgebridge_telemetry_redelivery_requested_total");
        System.out.printf(
                "fault kafka-write-failures: redelivery_requested=%.0f max_waiting_during_outage=%d%n",
                redeliveries, waitingDuringOutage[0]);
        assertTrue(redeliveries > 0, "failed Kafka writes were left unacknowledged and redelivered");
        long lines = run.bridge()
                .output()
                .lines()
                .filter(l -> l.contains("Kafka did not take a message"))
                .count();
        // One line per reopen episode: never more lines than refused messages, and at least one.
        assertTrue(
                lines >= 1 && lines <= redeliveries,
                "said so in the log: " + lines + " lines for " + redeliveries + " refused messages");
    }

    @Test
    void restartingMosquittoMidStreamLosesNothingTheBrokerAccepted() throws Exception {
        Run run = stream("mosquitto-restart", 100, 200, 1000, 5000, bridge -> {
            mqtt.stopProcess();
            Ports.sleep(3000);
            try {
                mqtt.startProcess();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bridge;
        });
        assertWentDownAndBackUp(run.monitor());
    }

    @Test
    void tenThousandBadMessagesAmongGoodOnesAreAllDeadLetteredWithTheirReason() throws Exception {
        List<String> devices = devices(100);
        int perDevice = 200; // half good, half bad
        String[] kinds = {"invalid-json", "payload-too-large", "invalid-topic"};
        try (TelemetryCollector collector = new TelemetryCollector(
                        kafka.bootstrapServers(), true, "telemetry.metrics", "device-telemetry-dlq");
                BridgeProcess bridge = bridge("bridge");
                ProcessMonitor monitor = new ProcessMonitor(bridge);
                DeviceFleet fleet = DeviceFleet.start(mqtt, devices, perDevice, 1, 2000, (device, seq) -> {
                    String good = "{\"n\":\"" + device + ":" + seq + "\"}";
                    if (seq % 2 == 0) {
                        return Publication.of("devices/" + device + "/telemetry/metrics", good);
                    }
                    return switch (kinds[(seq / 2) % 3]) {
                        case "invalid-json" ->
                            Publication.of(
                                    "devices/" + device + "/telemetry/metrics",
                                    "{\"n\":\"" + device + ":" + seq + "\", broken");
                        case "payload-too-large" ->
                            Publication.of(
                                    "devices/" + device + "/telemetry/metrics",
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
                Matcher number = SEQUENCE.matcher(KafkaTopicReader.value(record));
                int seq = number.find() ? Integer.parseInt(number.group(1)) : -1;
                if (!kinds[(seq / 2) % 3].equals(reason)) {
                    wrongReason++;
                }
            }
            System.out.printf(
                    "fault bad-input: sent=%d forwarded=%d dead_lettered=%d reasons=%s wrong_reason=%d"
                            + " max_rss_mb=%d readiness=%s slowest_readiness_ms=%d%n",
                    fleet.accepted(),
                    good.size(),
                    dead.size(),
                    reasons,
                    wrongReason,
                    monitor.maxRssMb(),
                    monitor.readiness(),
                    monitor.maxReadinessMillis());
            assertEquals(total / 2, good.size(), "every good message forwarded");
            assertEquals(total / 2, dead.size(), "every bad message dead-lettered");
            assertEquals(0, wrongReason, "each with its own reason");
            // The bridge never declares itself unready; a probe that timed out on a loaded machine is printed above.
            assertTrue(
                    monitor.readiness().stream().noneMatch("DOWN"::equals),
                    "readiness stayed UP: " + monitor.readiness());
        }
    }
}
