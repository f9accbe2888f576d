package io.edgebridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.KafkaCommandWriter;
import io.edgebridge.testkit.KafkaServerProcess;
import io.edgebridge.testkit.Metrics;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.ProcessMonitor;
import io.edgebridge.testkit.TelemetryCollector;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark ({@code ./mvnw -Pbench}): real Mosquitto (TLS + password), Kafka as its own process, the packaged
 * bridge as its own process, simulated devices on Vert.x event loops and a Kafka consumer, all on this machine.
 * Each scenario measures three paths with the same messages: devices straight to one MQTT subscriber (no bridge),
 * a Kafka producer straight to a consumer, and devices through the bridge to Kafka (or, for commands, Kafka through
 * the bridge to devices). It prints one JSON line per scenario.
 *
 * <p>Fixed-rate runs time each message from its intended send time, so a stalled sender does not hide the stall
 * (no coordinated omission). Max-rate runs keep at most {@code bench.max-outstanding} messages sent but not yet
 * received, so queues stay bounded and the rate is what the path sustains.
 */
public final class BridgeBenchmark {

    /** One row of the matrix. {@code rate} 0 means as fast as the path takes them. */
    record Scenario(String name, String kind, int devices, int size, int qos, int rate) {
        boolean commands() {
            return kind.equals("commands");
        }
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("telemetry-max-1dev-256B-qos1", "telemetry", 1, 256, 1, 0),
            new Scenario("telemetry-max-1000dev-256B-qos1", "telemetry", 1000, 256, 1, 0),
            new Scenario("telemetry-max-1000dev-4KB-qos1", "telemetry", 1000, 4096, 1, 0),
            new Scenario("telemetry-max-1000dev-256B-qos0", "telemetry", 1000, 256, 0, 0),
            new Scenario("telemetry-5000ps-1000dev-256B-qos1", "telemetry", 1000, 256, 1, 5000),
            new Scenario("commands-5000ps-1000dev-256B-qos1", "commands", 1000, 256, 1, 5000),
            new Scenario("commands-max-1000dev-256B-qos1", "commands", 1000, 256, 1, 0));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work;
    private final Duration warmup;
    private final Duration ceilingWarmup;
    private final Duration duration;
    private final Duration drainBound;
    private final int maxOutstanding;
    private final String[] bridgeJvm;
    private final MosquittoBroker mqtt;
    private final KafkaServerProcess kafka;
    private final Vertx vertx;
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private final AtomicReference<Ledger> ledger = new AtomicReference<>();

    private BridgeBenchmark(
            Path work,
            Duration warmup,
            Duration ceilingWarmup,
            Duration duration,
            Duration drainBound,
            int maxOutstanding,
            String[] bridgeJvm) {
        this.work = work;
        this.warmup = warmup;
        this.ceilingWarmup = ceilingWarmup;
        this.duration = duration;
        this.drainBound = drainBound;
        this.maxOutstanding = maxOutstanding;
        this.bridgeJvm = bridgeJvm;
        // The broker may send the bridge 500 unacknowledged messages; the bridge's window (1000) leaves room for
        // Mosquitto's overshoot with many publishers (docs/developing.md).
        this.mqtt = MosquittoBroker.start(work.resolve("mosquitto"), 500, false, 1800);
        this.kafka = KafkaServerProcess.start(work.resolve("kafka"));
        // Two event loops for all simulated clients: the load generator must not need a thread per device.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.parse(
                "PT" + System.getProperty("bench.duration", "10s").toUpperCase());
        // The bridge starts fresh for every scenario and its JIT needs about a minute of load; the ceilings' JVMs
        // (load generator, Kafka) stay up across scenarios and Mosquitto has no JIT.
        Duration warmup =
                Duration.parse("PT" + System.getProperty("bench.warmup", "60s").toUpperCase());
        Duration ceilingWarmup = Duration.parse(
                "PT" + System.getProperty("bench.ceiling-warmup", "5s").toUpperCase());
        Duration drain =
                Duration.parse("PT" + System.getProperty("bench.drain", "30s").toUpperCase());
        int outstanding = Integer.getInteger("bench.max-outstanding", 10_000);
        String[] jvm = System.getProperty("bench.bridge-jvm", "").trim().split("\\s+");
        String selection = System.getProperty("bench.scenarios", "all");
        // bench.rate gives every chosen scenario this fixed rate (to find where latency starts to climb).
        Integer rate = Integer.getInteger("bench.rate");
        List<Scenario> chosen = SCENARIOS.stream()
                .filter(s -> selection.equals("all")
                        || Arrays.stream(selection.split(","))
                                .anyMatch(p -> s.name().startsWith(p.trim())))
                .map(s -> rate == null ? s : new Scenario(s.name(), s.kind(), s.devices(), s.size(), s.qos(), rate))
                .toList();
        if (chosen.isEmpty()) {
            System.err.println("no scenario matches bench.scenarios=" + selection + "; known: "
                    + SCENARIOS.stream().map(Scenario::name).toList());
            System.exit(2);
        }
        Path work = Path.of("target", "bench", "run-" + System.currentTimeMillis());
        Path results = Path.of("target", "bench", "results.jsonl");
        Files.createDirectories(work);
        BridgeBenchmark bench = new BridgeBenchmark(
                work,
                warmup,
                ceilingWarmup,
                duration,
                drain,
                outstanding,
                jvm.length == 1 && jvm[0].isEmpty() ? new String[0] : jvm);
        try {
            for (Scenario scenario : chosen) {
                String line = JSON.writeValueAsString(bench.run(scenario));
                System.out.println(line);
                System.out.flush();
                Files.writeString(results, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } finally {
            bench.close();
        }
        System.exit(0);
    }

    private ObjectNode run(Scenario s) throws Exception {
        System.err.printf(
                "[bench] %s: %d devices, %d B, QoS %d, %s%n",
                s.name(), s.devices(), s.size(), s.qos(), s.rate() == 0 ? "max rate" : s.rate() + " msg/s");
        int index = SCENARIOS.stream().map(Scenario::name).toList().indexOf(s.name());
        String prefix = run + "-" + index + "-d";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < s.devices(); i++) {
            ids.add(prefix + i);
        }
        String topic = "bench-" + run + "-" + index;
        kafka.createTopics(4, topic + "-bridge", topic + "-ceiling");
        ObjectNode out = JSON.createObjectNode();
        out.put("scenario", s.name());
        out.put("devices", s.devices());
        out.put("payload_bytes", s.size());
        out.put("qos", s.qos());
        out.put("offered_rate", s.rate() == 0 ? "max" : Integer.toString(s.rate()));
        out.put("measured_s", duration.toMillis() / 1000.0);
        // Others share this machine: the load average says how much the figures can be trusted.
        out.put("load_avg_1m_before", loadAverage());
        ObjectNode result = s.commands() ? commands(s, ids, topic, out) : telemetry(s, ids, topic, out);
        result.put("load_avg_1m_after", loadAverage());
        return result;
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return -1;
        }
    }

    /** A counter from the bridge's /q/metrics, or -1. */
    private static double metric(BridgeProcess bridge, String name) {
        var response = bridge.get("/q/metrics");
        if (response == null || response.statusCode() != 200) {
            return -1;
        }
        return Metrics.sum(response.body(), name);
    }

    // ---- telemetry: devices -> MQTT -> (subscriber | bridge -> Kafka) ----

    private ObjectNode telemetry(Scenario s, List<String> ids, String topic, ObjectNode out) throws Exception {
        String[] topics = ids.stream().map(id -> "devices/" + id + "/telemetry").toArray(String[]::new);
        int window = s.qos() == 0 ? Integer.MAX_VALUE : 10;
        try (MqttFleet devices = MqttFleet.connect(vertx, mqtt, ids, window, null, 0, null)) {
            Sender viaDevices = (d, seq, payload) -> devices.send(d, topics[d], payload, s.qos());

            Driven mqttCeiling;
            try (MqttFleet subscriber = MqttFleet.connect(
                    vertx,
                    mqtt,
                    List.of("bench-subscriber-" + topic),
                    10,
                    "devices/+/telemetry",
                    s.qos(),
                    this::received)) {
                mqttCeiling = drive(s, viaDevices, processes(-1), null, ceilingWarmup);
                System.err.printf("[bench]   mqtt ceiling %s%n", mqttCeiling.figures());
            }
            Driven kafkaCeiling;
            try (KafkaProducer<String, byte[]> producer = producer();
                    TelemetryCollector consumer = collector(topic + "-ceiling", false)) {
                kafkaCeiling = drive(
                        s,
                        (d, seq, payload) ->
                                producer.send(new ProducerRecord<>(topic + "-ceiling", ids.get(d), payload)),
                        processes(-1),
                        null,
                        ceilingWarmup);
                System.err.printf("[bench]   kafka ceiling %s%n", kafkaCeiling.figures());
            }
            try (TelemetryCollector consumer = collector(topic + "-bridge", false)) {
                Path rules = work.resolve(topic + "-rules.yaml");
                Files.writeString(
                        rules,
                        "rules:\n  - name: bench\n    mqtt-topic: devices/{deviceId}/telemetry\n" + "    kafka-topic: "
                                + topic + "-bridge\n");
                Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "bridge-" + topic);
                env.put("BRIDGE_RULES_FILE", rules.toAbsolutePath().toString());
                bridged(s, out, env, topic, viaDevices, mqttCeiling, kafkaCeiling);
            }
        }
        return out;
    }

    // ---- commands: Kafka -> (consumer | bridge -> MQTT -> devices) ----

    private ObjectNode commands(Scenario s, List<String> ids, String topic, ObjectNode out) throws Exception {
        try (MqttFleet devices =
                MqttFleet.connect(vertx, mqtt, ids, 10, "devices/%s/commands/+/+", s.qos(), this::received)) {
            Driven mqttCeiling;
            // One publisher with the bridge's window (bridge.commands.max-in-flight=1000), straight to the devices.
            try (MqttFleet publisher =
                    MqttFleet.connect(vertx, mqtt, List.of("bench-publisher-" + topic), 1000, null, 0, null)) {
                mqttCeiling = drive(
                        s,
                        (d, seq, payload) -> publisher.send(
                                0, "devices/" + ids.get(d) + "/commands/bench/c" + d + "-" + seq, payload, s.qos()),
                        processes(-1),
                        null,
                        ceilingWarmup);
            }
            Driven kafkaCeiling;
            try (KafkaCommandWriter writer = new KafkaCommandWriter(kafka.bootstrapServers(), topic + "-ceiling");
                    TelemetryCollector consumer = collector(topic + "-ceiling", true)) {
                kafkaCeiling = drive(
                        s,
                        (d, seq, payload) -> writer.send(ids.get(d), command(d, seq, payload, s)),
                        processes(-1),
                        null,
                        ceilingWarmup);
            }
            try (KafkaCommandWriter writer = new KafkaCommandWriter(kafka.bootstrapServers(), topic + "-bridge")) {
                Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "bridge-" + topic);
                env.put("BRIDGE_COMMANDS_TOPIC", topic + "-bridge");
                bridged(
                        s,
                        out,
                        env,
                        topic,
                        (d, seq, payload) -> writer.send(ids.get(d), command(d, seq, payload, s)),
                        mqttCeiling,
                        kafkaCeiling);
            }
        }
        return out;
    }

    private static String command(int device, long seq, byte[] payload, Scenario s) {
        return "{\"name\":\"bench\",\"correlationId\":\"c" + device + "-" + seq + "\",\"qos\":" + s.qos()
                + ",\"payload\":\"" + new String(payload, StandardCharsets.US_ASCII) + "\"}";
    }

    /** Runs the bridge as its own process for one scenario and puts its figures and ratios into {@code out}. */
    private void bridged(
            Scenario s,
            ObjectNode out,
            Map<String, String> env,
            String topic,
            Sender sender,
            Driven mqttCeilingRun,
            Driven kafkaCeilingRun)
            throws Exception {
        Ledger.Figures mqttCeiling = mqttCeilingRun.figures();
        Ledger.Figures kafkaCeiling = kafkaCeilingRun.figures();
        // bench.bridge-env=KEY=VALUE,... tries a setting on the bridge, e.g. a producer knob, as an operator would.
        for (String pair : System.getProperty("bench.bridge-env", "").split(",")) {
            if (pair.contains("=")) {
                env.put(
                        pair.substring(0, pair.indexOf('=')).trim(),
                        pair.substring(pair.indexOf('=') + 1).trim());
            }
        }
        long started = System.nanoTime();
        BridgeProcess bridge = BridgeProcess.start(env, work.resolve(topic + "-bridge.log"), bridgeJvm);
        // RSS is sampled by the load generator itself: ProcessMonitor's health and metrics polls would load the bridge.
        AtomicLong peakRssKb = new AtomicLong();
        try {
            if (!bridge.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the bridge did not become ready: " + bridge.output());
            }
            long readyMillis = (System.nanoTime() - started) / 1_000_000;
            long pid = bridge.process().pid();
            Driven driven = drive(
                    s,
                    sender,
                    processes(pid),
                    () -> peakRssKb.accumulateAndGet(ProcessMonitor.rssKb(pid), Math::max),
                    warmup);
            Ledger.Figures bridgeFigures = driven.figures;
            System.err.printf("[bench]   bridge %s%n", bridgeFigures);
            put(out, bridgeFigures);
            out.put("generator_msg_s", round(driven.generatorRate));
            out.put(
                    "cpu_us_per_msg",
                    round(driven.windowEnd().secondsSince(driven.windowStart(), "bridge")
                            * 1e6
                            / Math.max(1, bridgeFigures.throughput() * duration.toMillis() / 1000.0)));
            out.put(
                    "cpu_us_per_msg_warmup",
                    round(driven.windowStart().secondsSince(driven.warmupStart(), "bridge")
                            * 1e6
                            / Math.max(1, driven.warmupSent())));
            driven.cores(out.putObject("cpu_cores"));
            out.put("bridge_peak_rss_mb", peakRssKb.get() / 1024);
            out.put("time_to_ready_ms", readyMillis);
            out.put("bridge_window_overflows", metric(bridge, "edgebridge_telemetry_window_overflows_total"));
            // MQTT receipt to Kafka ack inside the bridge: the rest of the end-to-end latency is spent outside it.
            double latencySum = metric(bridge, "edgebridge_telemetry_latency_seconds_sum");
            double latencyCount = metric(bridge, "edgebridge_telemetry_latency_seconds_count");
            out.put("bridge_internal_latency_avg_ms", round(1000 * latencySum / Math.max(1, latencyCount)));
            double ceiling = Math.min(mqttCeiling.throughput(), kafkaCeiling.throughput());
            out.put("throughput_vs_ceiling", round(bridgeFigures.throughput() / ceiling));
            out.put("throughput_vs_mqtt_ceiling", round(bridgeFigures.throughput() / mqttCeiling.throughput()));
            out.put("throughput_vs_kafka_ceiling", round(bridgeFigures.throughput() / kafkaCeiling.throughput()));
            // The bridge path is both hops in series, so its latency floor is the two ceilings' latencies added.
            out.put("p99_over_ceiling_ms", round(bridgeFigures.p99() - mqttCeiling.p99() - kafkaCeiling.p99()));
            mqttCeilingRun.cores(put(out.putObject("mqtt_ceiling"), mqttCeiling).putObject("cpu_cores"));
            kafkaCeilingRun.cores(
                    put(out.putObject("kafka_ceiling"), kafkaCeiling).putObject("cpu_cores"));
        } finally {
            bridge.close();
            forgetSession(env.get("BRIDGE_MQTT_CLIENT_ID"));
        }
    }

    /** The stopped bridge's persistent session would keep collecting later scenarios' messages: clear it. */
    private void forgetSession(String clientId) {
        try (MqttFleet clean = MqttFleet.connect(vertx, mqtt, List.of(clientId), 10, null, 0, null)) {
            // a clean-session CONNECT discards the stored session
        }
    }

    /** The processes whose CPU a run reports: the bridge (if {@code bridgePid} >= 0), the brokers, this JVM. */
    private Map<String, Long> processes(long bridgePid) {
        Map<String, Long> pids = new LinkedHashMap<>();
        if (bridgePid >= 0) {
            pids.put("bridge", bridgePid);
        }
        pids.put("mosquitto", mqtt.pid());
        pids.put("kafka", kafka.pid());
        // The load generator, the Kafka consumer and, in the Kafka ceiling, the producer.
        pids.put("bench", ProcessHandle.current().pid());
        return pids;
    }

    private static ObjectNode put(ObjectNode node, Ledger.Figures f) {
        node.put("throughput_msg_s", round(f.throughput()));
        node.put("p50_ms", round(f.p50()));
        node.put("p99_ms", round(f.p99()));
        node.put("p999_ms", round(f.p999()));
        node.put("max_ms", round(f.max()));
        node.put("sent", f.sent());
        node.put("received", f.received());
        node.put("lost", f.lost());
        node.put("duplicates", f.duplicates());
        node.put("out_of_order", f.outOfOrder());
        return node;
    }

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : -1;
    }

    // ---- the load generator ----

    /** Hands message {@code seq} of device {@code d} to the path; must not block. */
    interface Sender {
        void send(int device, long seq, byte[] payload);
    }

    /** CPU samples at the warm-up's start and the measured window's start and end; the JIT compiles in the warm-up. */
    record Driven(
            Ledger.Figures figures,
            double generatorRate,
            CpuSample warmupStart,
            CpuSample windowStart,
            CpuSample windowEnd,
            long warmupSent) {

        /** The cores each process and the machine used in the measured window. */
        ObjectNode cores(ObjectNode into) {
            return windowEnd.coresSince(windowStart, into);
        }
    }

    private void received(byte[] payload) {
        Ledger current = ledger.get();
        if (current != null) {
            current.record(payload);
        }
    }

    /**
     * Sends for warm-up + duration, round robin over the devices, then waits (bounded) until every message arrived.
     * The CPU of {@code pids} is sampled at the warm-up's start and the measured window's start and end,
     * {@code sample} (may be null) every 200 ms while sending.
     *
     * <p>The warm-up keeps at most {@code maxOutstanding} messages outstanding at any rate. A fixed-rate run then
     * waits until the warm-up's messages have arrived and starts its schedule and the measured window afresh: a
     * freshly started JVM falls behind a fixed rate while it compiles, and that backlog is the warm-up's, not the
     * steady state's. Inside the window every latency is still taken from the intended send time.
     */
    private Driven drive(Scenario s, Sender sender, Map<String, Long> pids, Runnable sample, Duration warmup) {
        int devices = s.devices();
        long start = System.nanoTime();
        long windowStart = start + warmup.toNanos();
        long end = windowStart + duration.toNanos();
        long scheduleStart =
                start; // a fixed rate's k-th message is meant for scheduleStart + (k - scheduleBase) / rate
        long scheduleBase = 0;
        boolean measuring = false;
        Ledger current = new Ledger(devices, windowStart, end);
        ledger.set(current);
        long[] sent = new long[devices];
        long k = 0;
        long forgiven = 0; // QoS 0 messages given up on, so the max-rate window does not wait for them
        long stalledSince = 0;
        long lastUnique = -1;
        CpuSample cpuWarmupStart = CpuSample.take(pids);
        CpuSample cpuStart = cpuWarmupStart;
        long warmupSent = 0;
        long nextSample = start;
        while (true) {
            long now = System.nanoTime();
            if (sample != null && now >= nextSample) {
                sample.run();
                nextSample = now + 200_000_000L;
            }
            if (!measuring && now >= windowStart) {
                measuring = true;
                if (s.rate() > 0) {
                    long backlog = k - forgiven - current.unique();
                    awaitArrivals(current, k - forgiven, drainBound);
                    System.err.printf(
                            "[bench]   warm-up: %d sent, %d outstanding at its end, %d after %d ms%n",
                            k, backlog, k - forgiven - current.unique(), (System.nanoTime() - now) / 1_000_000);
                    now = System.nanoTime();
                    windowStart = now;
                    end = now + duration.toNanos();
                    current.window(windowStart, end);
                    scheduleStart = now;
                    scheduleBase = k;
                }
                cpuStart = CpuSample.take(pids);
                warmupSent = k;
            }
            if (now >= end) {
                break;
            }
            long intended = now;
            if (s.rate() > 0) {
                intended = scheduleStart + (long) ((k - scheduleBase) * 1e9 / s.rate());
                if (intended > now) {
                    LockSupport.parkNanos(Math.min(intended - now, 1_000_000));
                    continue;
                }
            }
            if (s.rate() <= 0 || !measuring) {
                long unique = current.unique();
                if (k - unique - forgiven >= maxOutstanding) {
                    if (unique != lastUnique) {
                        lastUnique = unique;
                        stalledSince = now;
                    } else if (s.qos() == 0 && now - stalledSince > 500_000_000L) {
                        forgiven = k - unique; // nothing arrives any more: some were dropped (QoS 0 may drop)
                    }
                    LockSupport.parkNanos(50_000);
                    continue;
                }
            }
            int d = (int) (k % devices);
            long seq = sent[d]++;
            sender.send(d, seq, Payloads.of(d, seq, intended, s.size()));
            k++;
        }
        CpuSample cpuEnd = CpuSample.take(pids);
        double generatorRate = (k - warmupSent) / ((System.nanoTime() - windowStart) / 1e9);
        awaitArrivals(current, k, drainBound);
        // Late duplicates show up within a moment of the last message; give them that moment.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
        ledger.set(null);
        return new Driven(current.figures(sent), generatorRate, cpuWarmupStart, cpuStart, cpuEnd, warmupSent);
    }

    private static void awaitArrivals(Ledger ledger, long count, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (ledger.unique() < count && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    // ---- Kafka side ----

    /** The same producer settings as the bridge's telemetry channel (application.properties). */
    private KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** A consumer feeding the current ledger; for command records it reads the command's payload field. */
    private TelemetryCollector collector(String topic, boolean commandRecords) {
        TelemetryCollector collector = new TelemetryCollector(
                kafka.bootstrapServers(),
                false,
                record -> received(commandRecords ? commandPayload(record.value()) : record.value()),
                topic);
        if (!collector.awaitAssigned(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the consumer of " + topic + " got no partitions");
        }
        return collector;
    }

    private static byte[] commandPayload(byte[] json) {
        String text = new String(json, StandardCharsets.US_ASCII);
        int at = text.indexOf("\"payload\":\"");
        if (at < 0) {
            return new byte[0];
        }
        int from = at + 11;
        return text.substring(from, text.indexOf('"', from)).getBytes(StandardCharsets.US_ASCII);
    }

    private void close() {
        vertx.close();
        kafka.close();
        mqtt.close();
    }
}
