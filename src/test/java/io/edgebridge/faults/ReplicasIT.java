package io.edgebridge.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.CommandDevice;
import io.edgebridge.testkit.DeviceFleet;
import io.edgebridge.testkit.DeviceFleet.Publication;
import io.edgebridge.testkit.FaultDirs;
import io.edgebridge.testkit.KafkaCommandWriter;
import io.edgebridge.testkit.KafkaServerProcess;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.Ports;
import io.edgebridge.testkit.Processes;
import io.edgebridge.testkit.TelemetryCollector;
import io.edgebridge.testkit.TelemetryCollector.Report;
import io.edgebridge.testkit.TestTokens;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Several replicas (packaged bridges as processes, identical configuration but their member ids), three shards
 * owned through a Kafka consumer group, a real Mosquitto with persistence and a real Kafka process: whatever
 * happens to a replica, nothing is lost and each device's order of first arrivals holds.
 */
class ReplicasIT {

    static final int SHARDS = 3;
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OPERATOR = TestTokens.shared().bearer("test-operator", "commands:write", "commands:read");

    Path dir;
    MosquittoBroker mqtt;
    KafkaServerProcess kafka;
    Map<String, String> env;
    final Map<String, BridgeProcess> replicas = new HashMap<>();

    @BeforeEach
    void brokers(TestInfo test) throws Exception {
        dir = FaultDirs.of("replicas-", test);
        mqtt = MosquittoBroker.start(dir.resolve("mosquitto"), 100);
        kafka = KafkaServerProcess.start(dir.resolve("kafka"));
        kafka.createBridgeTopics(8);
        env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-replicas");
        env.put("BRIDGE_CLUSTER_ENABLED", "true");
        env.put("BRIDGE_CLUSTER_SHARDS", Integer.toString(SHARDS));
        env.put("BRIDGE_CLUSTER_SESSION_TIMEOUT", SESSION_TIMEOUT.toSeconds() + "s");
        env.put("BRIDGE_MQTT_RECONNECT_MAX_BACKOFF", "1s");
        env.put("BRIDGE_HEALTH_KAFKA_CHECK_INTERVAL", "1s");
    }

    @AfterEach
    void stopEverything() {
        replicas.values().forEach(BridgeProcess::close);
        mqtt.close();
        kafka.close();
    }

    private BridgeProcess replica(String member) {
        Map<String, String> own = new HashMap<>(env);
        own.put("BRIDGE_CLUSTER_MEMBER_ID", member);
        BridgeProcess bridge =
                BridgeProcess.start(own, dir.resolve(member + "-" + System.nanoTime() + ".log"), "-Xmx128m");
        replicas.put(member, bridge);
        assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), member + " ready:\n" + bridge.output());
        return bridge;
    }

    /** The shards {@code bridge} owns, from its readiness detail; empty when it does not answer. */
    static Set<Integer> owned(BridgeProcess bridge) {
        try {
            HttpResponse<String> ready = bridge.get("/q/health/ready");
            if (ready == null) {
                return Set.of();
            }
            for (JsonNode check : JSON.readTree(ready.body()).path("checks")) {
                if (check.path("name").asText().equals("cluster-shards")) {
                    String owned = check.path("data").path("owned").asText();
                    Set<Integer> shards = new TreeSet<>();
                    if (!owned.equals("none") && !owned.isEmpty()) {
                        Arrays.stream(owned.split(",")).map(Integer::parseInt).forEach(shards::add);
                    }
                    return shards;
                }
            }
        } catch (Exception e) {
            // not answering: owns nothing we can see
        }
        return Set.of();
    }

    /** Waits until {@code replicas} together own every shard; answers how long that took. */
    static Duration awaitAllOwned(List<BridgeProcess> replicas, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Set<Integer> all = new TreeSet<>();
            replicas.forEach(r -> all.addAll(owned(r)));
            if (all.size() == SHARDS) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Ports.sleep(100);
        }
        throw new AssertionError("the shards were not all owned within " + timeout);
    }

    private static Publication message(String device, int seq) {
        return Publication.of("devices/" + device + "/telemetry", device + ":" + seq);
    }

    /**
     * Streams numbered QoS 1 messages from 100 devices through the replicas, applies {@code fault} after a fifth has
     * arrived, and checks that nothing was lost and every device's order held.
     */
    private Report stream(String scenario, int perDevice, int rate, Consumer<TelemetryCollector> fault)
            throws Exception {
        List<String> devices = IntStream.range(0, 100).mapToObj(i -> "rep-" + i).toList();
        try (TelemetryCollector collector =
                        new TelemetryCollector(kafka.bootstrapServers(), false, "device-telemetry");
                DeviceFleet fleet = DeviceFleet.start(mqtt, devices, perDevice, 1, rate, ReplicasIT::message)) {
            long fifth = devices.size() * (long) perDevice / 5;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (collector.count() < fifth && System.nanoTime() < deadline) {
                Ports.sleep(50);
            }
            fault.accept(collector);
            fleet.await(240);
            Report report = collector.await(TelemetryCollector.expect(devices, perDevice), Duration.ofSeconds(180));
            System.out.printf(
                    "replicas %s: sent=%d received=%d lost=%d duplicates=%d out_of_order=%d%n",
                    scenario,
                    fleet.accepted(),
                    report.received(),
                    report.lost(),
                    report.duplicates(),
                    report.outOfOrder());
            assertEquals(0, report.lost(), "lost");
            assertEquals(0, report.outOfOrder(), "per-device order of first arrivals");
            return report;
        }
    }

    @Test
    void killingAShardOwnerLosesNothingAndItsShardsAreOwnedAgainWithinTheSessionTimeout() throws Exception {
        BridgeProcess a = replica("replica-a");
        BridgeProcess b = replica("replica-b");
        awaitAllOwned(List.of(a, b), Duration.ofSeconds(60));
        List<Duration> gaps = new ArrayList<>();
        stream("kill-9-owner", 200, 1000, collector -> {
            BridgeProcess victim = owned(a).isEmpty() ? b : a;
            BridgeProcess survivor = victim == a ? b : a;
            victim.process().destroyForcibly(); // SIGKILL: no hand-over, the group notices after its session time-out
            gaps.add(awaitAllOwned(List.of(survivor), SESSION_TIMEOUT.plusSeconds(20)));
        });
        System.out.printf(
                "replicas kill-9-owner: shards owned again after %d ms%n",
                gaps.get(0).toMillis());
        assertTrue(
                gaps.get(0).compareTo(SESSION_TIMEOUT.plusSeconds(10)) < 0,
                "owned again within the session time-out plus a few seconds: " + gaps.get(0));
    }

    @Test
    void aStoppedReplicaHandsItsShardsOverWithAlmostNoDuplicates() throws Exception {
        BridgeProcess a = replica("replica-a");
        BridgeProcess b = replica("replica-b");
        awaitAllOwned(List.of(a, b), Duration.ofSeconds(60));
        Report report = stream("sigterm-owner", 200, 1000, collector -> {
            BridgeProcess leaving = owned(a).isEmpty() ? b : a;
            BridgeProcess staying = leaving == a ? b : a;
            Processes.stop(leaving.process(), Duration.ofSeconds(30)); // SIGTERM: finishes what Kafka has, leaves
            awaitAllOwned(List.of(staying), Duration.ofSeconds(60));
        });
        assertTrue(report.duplicates() <= 50, "a hand-over drains first: " + report.duplicates() + " duplicates");
    }

    @Test
    void scalingFromOneToThreeToOneUnderLoadLosesNothing() throws Exception {
        BridgeProcess a = replica("replica-a");
        awaitAllOwned(List.of(a), Duration.ofSeconds(60));
        stream("scale-1-3-1", 300, 1000, collector -> {
            BridgeProcess b = replica("replica-b");
            BridgeProcess c = replica("replica-c");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((owned(b).isEmpty() || owned(c).isEmpty()) && System.nanoTime() < deadline) {
                Ports.sleep(200);
            }
            assertTrue(!owned(b).isEmpty() && !owned(c).isEmpty(), "the new replicas took shards");
            Processes.stop(b.process(), Duration.ofSeconds(30));
            Processes.stop(c.process(), Duration.ofSeconds(30));
            awaitAllOwned(List.of(a), Duration.ofSeconds(60));
        });
    }

    @Test
    void aReplicaPausedPastItsSessionTimeoutStandsDownWhenItWakes() throws Exception {
        BridgeProcess a = replica("replica-a");
        BridgeProcess b = replica("replica-b");
        awaitAllOwned(List.of(a, b), Duration.ofSeconds(60));
        BridgeProcess paused = owned(a).isEmpty() ? b : a;
        BridgeProcess other = paused == a ? b : a;
        int pausedShards = owned(paused).size();
        int takeoversAtStart = takeovers();
        long pid = paused.process().pid();
        signal("STOP", pid);
        awaitAllOwned(List.of(other), SESSION_TIMEOUT.plusSeconds(20));
        // The paused replica's connections look alive to the broker (keep-alive 30 s): the new owner takes each of
        // its sessions over. Owning is reported before that connect, so count from once they have happened.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> takeovers() - takeoversAtStart >= pausedShards);
        int takeoversBefore = takeovers();
        signal("CONT", pid);
        Ports.sleep(SESSION_TIMEOUT.toMillis() + 5000);
        int takeoversAfter = takeovers() - takeoversBefore;
        System.out.printf("replicas sigstop: session take-overs after the paused replica woke: %d%n", takeoversAfter);
        assertEquals(0, takeoversAfter, "the woken replica never took a session back: no flapping");
        awaitAllOwned(List.of(a, b), Duration.ofSeconds(30));
    }

    /**
     * Commands with two replicas of identical configuration: sent through either one, answered on the other, and each
     * device response forwarded to Kafka once, by the shard its device belongs to.
     */
    @Test
    void commandsRunOnAnyReplicaAndEachResponseLandsOnce() throws Exception {
        BridgeProcess a = replica("replica-a");
        BridgeProcess b = replica("replica-b");
        awaitAllOwned(List.of(a, b), Duration.ofSeconds(60));
        List<String> devices =
                IntStream.range(0, 10).mapToObj(i -> "valve-" + i).toList();
        List<CommandDevice> valves = new ArrayList<>();
        try (KafkaTopicReader responses = new KafkaTopicReader(kafka.bootstrapServers(), "device-command-responses");
                KafkaCommandWriter commands = new KafkaCommandWriter(kafka.bootstrapServers(), "device-commands")) {
            for (String id : devices) {
                valves.add(CommandDevice.start(mqtt, id, c -> "{\"ok\":true,\"asked\":\"" + c.payload() + "\"}"));
            }
            Set<String> sent = new TreeSet<>();
            for (int i = 0; i < 40; i++) {
                String id = "kafka-" + i;
                sent.add(id);
                commands.write(
                        devices.get(i % devices.size()),
                        "{\"name\":\"open\",\"payload\":\"k" + i + "\",\"correlationId\":\"" + id + "\"}");
            }
            for (int i = 0; i < 6; i++) {
                BridgeProcess through = i % 2 == 0 ? a : b;
                HttpResponse<String> waited = through.post(
                        "/api/v1/devices/" + devices.get(i) + "/commands/open?wait=PT20S",
                        ("r" + i).getBytes(StandardCharsets.UTF_8),
                        OPERATOR);
                assertEquals(200, waited.statusCode(), waited.body());
                assertEquals("{\"ok\":true,\"asked\":\"r" + i + "\"}", waited.body());
                sent.add(waited.headers().firstValue("X-Correlation-Id").orElseThrow());
            }
            responses.await(
                    r -> sent.contains(KafkaTopicReader.header(r, "correlation-id")),
                    sent.size(),
                    Duration.ofSeconds(60));
            Map<String, Integer> landed = new TreeMap<>();
            for (ConsumerRecord<String, byte[]> record : responses.drain(Duration.ofSeconds(3))) {
                landed.merge(KafkaTopicReader.header(record, "correlation-id"), 1, Integer::sum);
            }
            assertEquals(sent, landed.keySet(), "every response reached Kafka");
            assertTrue(landed.values().stream().allMatch(n -> n == 1), "each response landed once: " + landed);
            for (BridgeProcess replica : List.of(a, b)) {
                for (String id : List.of("kafka-0", "kafka-39")) {
                    HttpResponse<String> status = replica.get("/api/v1/commands/" + id, OPERATOR);
                    assertEquals(200, status.statusCode(), status.body());
                    assertEquals(
                            "responded",
                            JSON.readTree(status.body()).path("status").asText());
                }
            }
        } finally {
            valves.forEach(CommandDevice::close);
        }
    }

    /** Sessions Mosquitto handed to a second client with the same id (it logs each such take-over). */
    private int takeovers() throws Exception {
        return (int) Files.readAllLines(mqtt.logFile()).stream()
                .filter(line -> line.contains("already connected, closing old connection"))
                .count();
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
        assertEquals(0, kill.waitFor());
    }
}
