package io.edgebridge.faults;

import static io.edgebridge.testkit.KafkaTopicReader.header;
import static io.edgebridge.testkit.KafkaTopicReader.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.CommandDevice;
import io.edgebridge.testkit.FaultDirs;
import io.edgebridge.testkit.KafkaCommandWriter;
import io.edgebridge.testkit.KafkaServerProcess;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.Metrics;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.Ports;
import io.edgebridge.testkit.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Two packaged bridges as the replicas of one Deployment: one command consumer group, their own MQTT client ids
 * (one session each, until sessions are sharded), real Mosquitto and a real Kafka process. A command sent through one
 * replica is answered on the other, a restarted replica still knows it, and a time-out is reported once, also when
 * the replica holding its partition is killed.
 */
class CommandReplicasIT {

    static final int COMMAND_PARTITIONS = 8;
    static final String GROUP = "edge-bridge-replicas-commands";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OPERATOR = TestTokens.shared().bearer("test-operator", "commands:write", "commands:read");

    Path dir;
    MosquittoBroker mqtt;
    KafkaServerProcess kafka;
    final List<BridgeProcess> started = new ArrayList<>();

    @BeforeEach
    void brokers(TestInfo test) {
        dir = FaultDirs.of("", test);
        mqtt = MosquittoBroker.start(dir.resolve("mosquitto"), 100);
        kafka = KafkaServerProcess.start(dir.resolve("kafka"));
        kafka.createTopics(COMMAND_PARTITIONS, "device-commands");
        kafka.createTopics(
                4,
                "device-command-status",
                "device-command-responses",
                "device-commands-dlq",
                "device-telemetry",
                "device-telemetry-dlq");
    }

    @AfterEach
    void stopEverything() {
        started.forEach(BridgeProcess::close);
        mqtt.close();
        kafka.close();
    }

    /** A replica's environment: its own MQTT client id, the command consumer group all replicas share. */
    private Map<String, String> replica(String clientId) {
        Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), clientId);
        env.put("MP_MESSAGING_INCOMING_COMMANDS_IN_GROUP_ID", GROUP);
        env.put("BRIDGE_HEALTH_KAFKA_CHECK_INTERVAL", "1s");
        return env;
    }

    private BridgeProcess start(String name, Map<String, String> env) {
        // A replica killed without leaving the group is noticed after the session timeout: 6 s, the broker's least.
        BridgeProcess bridge = BridgeProcess.start(
                env,
                dir.resolve(name + "-" + System.nanoTime() + ".log"),
                "-Xmx192m",
                "-Dmp.messaging.incoming.commands-in.session.timeout.ms=6000",
                "-Dmp.messaging.incoming.commands-in.heartbeat.interval.ms=1000");
        started.add(bridge);
        return bridge;
    }

    private static void awaitReady(BridgeProcess... bridges) {
        for (BridgeProcess bridge : bridges) {
            assertTrue(bridge.awaitReady(Duration.ofSeconds(120)), "bridge ready:\n" + bridge.output());
        }
    }

    /** The data of the replica's command-status-view readiness check. */
    private static JsonNode view(BridgeProcess bridge) {
        HttpResponse<String> ready = bridge.get("/q/health/ready");
        assertNotNull(ready, "health of the bridge: " + bridge.lastFailure());
        try {
            for (JsonNode check : JSON.readTree(ready.body()).path("checks")) {
                if (check.path("name").asText().equals("command-status-view")) {
                    return check.path("data");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no command-status-view check: " + ready.body());
    }

    private static Set<Integer> timeOutPartitions(BridgeProcess bridge) {
        String text = view(bridge).path("timeOutPartitions").asText();
        return text.isEmpty()
                ? Set.of()
                : Set.of(text.split(",")).stream().map(Integer::valueOf).collect(Collectors.toSet());
    }

    /** Waits until the replicas hold every partition's time-outs between them, each partition once. */
    private static void awaitSplit(BridgeProcess a, BridgeProcess b) {
        Set<Integer> all = IntStream.range(0, COMMAND_PARTITIONS).boxed().collect(Collectors.toSet());
        await("the group splits the partitions between the replicas", () -> {
            Set<Integer> ofA = timeOutPartitions(a);
            Set<Integer> ofB = timeOutPartitions(b);
            Set<Integer> both = new TreeSet<>(ofA);
            both.addAll(ofB);
            return !ofA.isEmpty()
                    && !ofB.isEmpty()
                    && ofA.size() + ofB.size() == COMMAND_PARTITIONS
                    && both.equals(all);
        });
    }

    private static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Ports.sleep(200);
        }
    }

    private static JsonNode body(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String status(BridgeProcess bridge, String correlationId) {
        HttpResponse<String> response = bridge.get("/api/v1/commands/" + correlationId, OPERATOR);
        return response == null || response.statusCode() != 200
                ? null
                : body(response).path("status").asText();
    }

    private static double metric(BridgeProcess bridge, String name) {
        HttpResponse<String> metrics = bridge.get("/q/metrics");
        return metrics == null ? -1 : Metrics.sum(metrics.body(), name);
    }

    @Test
    void aCommandSentThroughOneReplicaIsAnsweredOnTheOtherAndAfterItsRestart() {
        Map<String, String> envB = replica("replica-b");
        // B never hears a response over MQTT (it subscribes elsewhere): its callers can only be woken through Kafka.
        envB.put("BRIDGE_COMMANDS_RESPONSE_TOPIC_TEMPLATE", "devices/{deviceId}/commands/{name}/reply/{correlationId}");
        BridgeProcess a = start("replica-a", replica("replica-a"));
        BridgeProcess b = start("replica-b", envB);
        awaitReady(a, b);
        awaitSplit(a, b);
        try (CommandDevice valve =
                CommandDevice.start(mqtt, "valve-7", c -> "{\"open\":true,\"asked\":\"" + c.payload() + "\"}")) {
            HttpResponse<String> accepted =
                    a.post("/api/v1/devices/valve-7/commands/open", "a".getBytes(StandardCharsets.UTF_8), OPERATOR);
            assertEquals(202, accepted.statusCode(), accepted.body());
            String sentThroughA = body(accepted).path("correlationId").asText();
            long start = System.nanoTime();
            await("B knows the command sent through A, answered", () -> "responded".equals(status(b, sentThroughA)));
            System.out.printf(
                    "replicas: GET on B answered 'responded' for a command sent through A after %d ms%n",
                    (System.nanoTime() - start) / 1_000_000);

            HttpResponse<String> waited = b.post(
                    "/api/v1/devices/valve-7/commands/open?wait=PT20S", "b".getBytes(StandardCharsets.UTF_8), OPERATOR);
            assertNotNull(waited, "B answered the waiting call: " + b.lastFailure());
            assertEquals(200, waited.statusCode(), waited.body());
            assertEquals("{\"open\":true,\"asked\":\"b\"}", waited.body(), "the device's answer, which A forwarded");
            String waitedOnB = waited.headers().firstValue("X-Correlation-Id").orElseThrow();
            await("A knows the command sent through B", () -> "responded".equals(status(a, waitedOnB)));
            assertTrue(metric(b, "edgebridge_commands_view_applied_total") > 0, "B applied A's status events");

            b.close(); // a rolling restart
            BridgeProcess restarted = start("replica-b-restarted", envB);
            awaitReady(restarted);
            assertEquals("responded", status(restarted, sentThroughA), "known from the status topic's history");
            assertEquals("responded", status(restarted, waitedOnB));
            assertEquals(
                    Set.of(sentThroughA, waitedOnB),
                    valve.received().stream()
                            .map(CommandDevice.Received::correlationId)
                            .collect(Collectors.toSet()),
                    "both commands reached the device");
        }
    }

    /** A device id that Kafka's default partitioner puts in {@code partition} of the commands topic. */
    private static String deviceIn(int partition, String prefix) {
        for (int i = 0; ; i++) {
            String id = prefix + "-" + i;
            if (BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), COMMAND_PARTITIONS)
                    == partition) {
                return id;
            }
        }
    }

    /** Every status event of {@code ids} read so far, for a failure's message: id, status, replica, time. */
    private static String seen(KafkaTopicReader status, Set<String> ids) {
        return status.drain(Duration.ZERO).stream()
                .filter(r -> ids.contains(json(r).path("correlationId").asText()))
                .map(r -> json(r).path("correlationId").asText() + " "
                        + json(r).path("status").asText() + " by " + header(r, "bridge-replica") + " at "
                        + json(r).path("at").asText())
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    /** The status topic's timed-out events of {@code ids}, each with the replica that wrote it, after a quiet time. */
    private static Map<String, List<String>> timedOut(KafkaTopicReader status, Set<String> ids, Duration timeout) {
        status.await(
                r -> ids.contains(json(r).path("correlationId").asText())
                        && json(r).path("status").asText().equals("timed-out"),
                ids.size(),
                timeout);
        Map<String, List<String>> reporters = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : status.drain(Duration.ofSeconds(3))) {
            String id = json(record).path("correlationId").asText();
            if (ids.contains(id) && json(record).path("status").asText().equals("timed-out")) {
                reporters.computeIfAbsent(id, k -> new ArrayList<>()).add(header(record, "bridge-replica"));
            }
        }
        return reporters;
    }

    @Test
    void aTimeOutIsReportedOnceAlsoWhenTheReplicaHoldingItsPartitionIsKilled() {
        BridgeProcess a = start("replica-a", replica("replica-a"));
        BridgeProcess b = start("replica-b", replica("replica-b"));
        awaitReady(a, b);
        awaitSplit(a, b);
        Set<Integer> ofA = timeOutPartitions(a);
        String nameA = view(a).path("replica").asText();
        String nameB = view(b).path("replica").asText();
        List<String> devices = IntStream.range(0, COMMAND_PARTITIONS)
                .mapToObj(p -> deviceIn(p, "silent"))
                .toList();
        List<CommandDevice> silent = new ArrayList<>();
        try (KafkaCommandWriter commands = new KafkaCommandWriter(kafka.bootstrapServers(), "device-commands");
                KafkaTopicReader status = new KafkaTopicReader(kafka.bootstrapServers(), "device-command-status")) {
            devices.forEach(id -> silent.add(CommandDevice.start(mqtt, id, null)));
            // The first record of each partition after an assignment waits up to a second (SmallRye asks for its
            // committed offset behind a poll): one command per partition first, so the deadlines below hold.
            Set<String> warmUp = new TreeSet<>();
            for (int p = 0; p < COMMAND_PARTITIONS; p++) {
                commands.send(devices.get(p), "{\"name\":\"warm\",\"correlationId\":\"warm-" + p + "\"}");
                warmUp.add("warm-" + p);
            }
            commands.flush();
            assertEquals(
                    warmUp.size(),
                    status.await(
                                    r -> warmUp.contains(json(r).path("correlationId")
                                                    .asText())
                                            && json(r).path("status").asText().equals("published"),
                                    warmUp.size(),
                                    WAIT)
                            .size(),
                    "every partition warmed up");

            // Both alive: each command's time-out comes once, from the replica holding its partition.
            Map<String, String> expectedReporter = new HashMap<>();
            for (int p = 0; p < COMMAND_PARTITIONS; p++) {
                String id = "short-" + p;
                commands.send(devices.get(p), "{\"name\":\"beep\",\"ttlSeconds\":5,\"correlationId\":\"" + id + "\"}");
                expectedReporter.put(id, ofA.contains(p) ? nameA : nameB);
            }
            commands.flush();
            Map<String, List<String>> reported = timedOut(status, expectedReporter.keySet(), WAIT);
            Map<String, List<String>> expected = new TreeMap<>();
            expectedReporter.forEach((id, replica) -> expected.put(id, List.of(replica)));
            assertEquals(
                    expected,
                    reported,
                    "one time-out each, by the holder of its partition; seen:"
                            + seen(status, expectedReporter.keySet()));

            // A publishes its share, then dies before any deadline: B takes its partitions and reports them.
            Set<String> longer = new TreeSet<>();
            for (int p = 0; p < COMMAND_PARTITIONS; p++) {
                String id = "long-" + p;
                commands.send(devices.get(p), "{\"name\":\"beep\",\"ttlSeconds\":20,\"correlationId\":\"" + id + "\"}");
                longer.add(id);
            }
            commands.flush();
            List<ConsumerRecord<String, byte[]>> published = status.await(
                    r -> longer.contains(json(r).path("correlationId").asText())
                            && json(r).path("status").asText().equals("published"),
                    longer.size(),
                    WAIT);
            assertEquals(longer.size(), published.size(), "all published before the kill");
            assertTrue(
                    published.stream().anyMatch(r -> nameA.equals(header(r, "bridge-replica"))),
                    "A published some of them");
            a.process().destroyForcibly(); // SIGKILL: no revocation, no goodbye to the group
            assertNotNull(a.awaitExit(Duration.ofSeconds(10)));
            long killed = System.nanoTime();

            Map<String, List<String>> afterKill = timedOut(status, longer, Duration.ofSeconds(90));
            Map<String, List<String>> byB = new TreeMap<>();
            longer.forEach(id -> byB.put(id, List.of(nameB)));
            assertEquals(
                    byB,
                    afterKill,
                    "each of the eight timed out once, all reported by B; seen:" + seen(status, longer));
            System.out.printf(
                    "replicas: after SIGKILL of A, B reported %d time-outs once each within %d ms; B holds %s%n",
                    afterKill.size(), (System.nanoTime() - killed) / 1_000_000, timeOutPartitions(b));
            assertEquals(
                    IntStream.range(0, COMMAND_PARTITIONS).boxed().collect(Collectors.toSet()), timeOutPartitions(b));
        } finally {
            silent.forEach(CommandDevice::close);
        }
    }
}
