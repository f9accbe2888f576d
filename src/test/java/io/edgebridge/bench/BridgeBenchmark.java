package io.edgebridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.KafkaCommandWriter;
import io.edgebridge.testkit.KafkaServerProcess;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.Ports;
import io.edgebridge.testkit.TelemetryCollector;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark ({@code ./mvnw -Pbench}): real Mosquitto (TLS + password), Kafka as its own process, the packaged
 * bridge as its own process (or several replicas), simulated devices on Vert.x event loops and a Kafka consumer, all
 * on this machine. Each scenario measures three paths with the same messages: devices straight to one MQTT
 * subscriber (no bridge), a Kafka producer straight to a consumer, and devices through the bridge to Kafka (or, for
 * commands, Kafka through the bridge to devices). It prints one JSON line per scenario; {@link LoadGenerator} says
 * how messages are sent and timed.
 */
public final class BridgeBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The simulated devices and subscribers are Vert.x MQTT clients, which speak MQTT 3.1.1. */
    private static final String DEVICE_PROTOCOL = "3.1.1";

    private final Path work;
    private final Settings settings;
    private final MosquittoBroker mqtt;
    private final KafkaServerProcess kafka;
    private final Vertx vertx;
    private final BrokerEgress egress;
    private final LoadGenerator generator;
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private int runs;
    private CpuBurner burner;
    private boolean ceilingsWarm;

    private BridgeBenchmark(Path work, Settings settings) {
        this.work = work;
        this.settings = settings;
        this.generator = new LoadGenerator(settings.duration(), settings.drain(), settings.maxOutstanding());
        // The broker may send the bridge 500 unacknowledged messages; the bridge's window (1000) leaves room for
        // Mosquitto's overshoot with many publishers (docs/developing.md). $SYS every second: the broker's egress.
        this.mqtt = MosquittoBroker.start(work.resolve("mosquitto"), 500, false, 1800, 1);
        this.kafka = KafkaServerProcess.start(work.resolve("kafka"));
        // Two event loops for all simulated clients: the load generator must not need a thread per device.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        this.egress = BrokerEgress.subscribe(vertx, mqtt, "bench-egress-" + run);
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        List<Scenario> chosen = settings.scenarios();
        if (!settings.protocol().isEmpty() && !Settings.PROTOCOLS.contains(settings.protocol())) {
            System.err.println("bench.protocol=" + settings.protocol() + ": one of " + Settings.PROTOCOLS);
            System.exit(2);
        }
        if (chosen.isEmpty()) {
            System.err.println("no scenario matches bench.scenarios=" + settings.selection() + "; known: "
                    + Scenario.ALL.stream().map(Scenario::name).toList());
            System.exit(2);
        }
        for (Path jar : settings.bridgeJars()) {
            if (!Files.isRegularFile(jar)) {
                System.err.println("bench.bridge-jar: no file " + jar.toAbsolutePath()
                        + " (a packaged bridge's quarkus-app/quarkus-run.jar, with its lib/ beside it)");
                System.exit(2);
            }
        }
        Path work = Path.of("target", "bench", "run-" + System.currentTimeMillis());
        Path results = Path.of("target", "bench", "results.jsonl");
        Files.createDirectories(work);
        BridgeBenchmark bench = new BridgeBenchmark(work, settings);
        try {
            // Each round runs every scenario once per bridge, the bridges one after the other, so a slow hour of
            // the machine falls on all of them alike.
            for (int round = 1; round <= settings.repeat(); round++) {
                for (Scenario scenario : chosen) {
                    for (Path jar : settings.bridgeJars()) {
                        String line = JSON.writeValueAsString(bench.run(scenario, jar, round));
                        System.out.println(line);
                        System.out.flush();
                        Files.writeString(results, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                }
            }
        } finally {
            bench.close();
        }
        System.exit(0);
    }

    private ObjectNode run(Scenario s, Path jar, int round) throws Exception {
        System.err.printf(
                "[bench] %s: %d devices, %d B, QoS %d, %s, %s%n",
                s.name(),
                s.devices(),
                s.size(),
                s.qos(),
                s.kind() == Scenario.Kind.IDLE ? "no traffic" : s.rate() == 0 ? "max rate" : s.rate() + " msg/s",
                jar);
        int index = ++runs;
        String prefix = run + "-" + index + "-d";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < s.devices(); i++) {
            ids.add(prefix + i);
        }
        String topic = "bench-" + run + "-" + index;
        kafka.createTopics(4, topic + "-bridge", topic + "-ceiling");
        ObjectNode out = JSON.createObjectNode();
        out.put("scenario", s.name());
        out.put("round", round);
        out.put("bridge_jar", jar.toAbsolutePath().normalize().toString());
        out.put("bridge_mqtt_protocol", settings.protocol().isEmpty() ? "default" : settings.protocol());
        out.put("device_mqtt_protocol", DEVICE_PROTOCOL);
        out.put("rule", s.rule().name().toLowerCase());
        out.put("replicas", s.replicas());
        out.put("shards", s.shards());
        ObjectNode busy = out.putObject("busy");
        busy.put("threads", settings.busyThreads());
        busy.put("duty_pct", settings.busyThreads() > 0 ? settings.busyDuty() : 0);
        out.put("devices", s.devices());
        out.put("payload_bytes", s.size());
        out.put("qos", s.qos());
        out.put("offered_rate", s.kind() == Scenario.Kind.IDLE ? "0" : s.rate() == 0 ? "max" : "" + s.rate());
        out.put("measured_s", settings.duration().toMillis() / 1000.0);
        // Others share this machine: the load average says how much the figures can be trusted.
        out.put("load_avg_1m_before", loadAverage());
        // The busy machine: the same load beside every path of the scenario, the ceilings too, so ratios hold.
        burner = settings.busyThreads() > 0
                ? CpuBurner.start(
                        settings.busyThreads(),
                        settings.busyDuty(),
                        settings.burnerBound(),
                        work.resolve(topic + "-burner.log"))
                : null;
        try {
            switch (s.kind()) {
                case TELEMETRY -> telemetry(s, ids, topic, out, jar);
                case COMMANDS -> commands(s, ids, topic, out, jar);
                case IDLE -> idle(s, ids, topic, out, jar);
            }
        } catch (Exception e) {
            // One scenario that cannot run (e.g. an older build without a setting it needs) does not end the others.
            out.put("error", e.getMessage() == null ? e.toString() : firstLine(e.getMessage()));
            System.err.printf("[bench]   failed: %s (logs in %s)%n", e, work.toAbsolutePath());
        } finally {
            if (burner != null) {
                burner.close();
                burner = null;
            }
            ceilingsWarm = true;
        }
        out.put("load_avg_1m_after", loadAverage());
        System.err.println("[bench] = " + Summary.of(out));
        return out;
    }

    /**
     * The load generator's and Kafka's JVMs stay up across scenarios, so {@code bench.ceiling-warmup} is enough once
     * they have compiled; until then (the first scenario of an invocation) each ceiling warms up as long as a bridge
     * does. Without it the first scenario measured a bridge sharing the cores with two compiling JVMs: 190-200 µs per
     * command where later rounds of the same build took 105-122 µs.
     */
    private Duration ceilingWarmup() {
        if (ceilingsWarm) {
            return settings.ceilingWarmup();
        }
        return settings.warmup().compareTo(settings.ceilingWarmup()) > 0 ? settings.warmup() : settings.ceilingWarmup();
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return -1;
        }
    }

    // ---- telemetry: devices -> MQTT -> (subscriber | bridge -> Kafka) ----

    private void telemetry(Scenario s, List<String> ids, String topic, ObjectNode out, Path jar) throws Exception {
        String[] topics = ids.stream().map(id -> "devices/" + id + "/telemetry").toArray(String[]::new);
        int window = s.qos() == 0 ? Integer.MAX_VALUE : 10;
        try (MqttFleet devices = MqttFleet.connect(vertx, mqtt, ids, window, null, 0, null)) {
            LoadGenerator.Sender viaDevices = (d, seq, payload) -> devices.send(d, topics[d], payload, s.qos());

            LoadGenerator.Driven mqttCeiling;
            try (MqttFleet subscriber = MqttFleet.connect(
                    vertx,
                    mqtt,
                    List.of("bench-subscriber-" + topic),
                    10,
                    "devices/+/telemetry",
                    s.qos(),
                    generator::received)) {
                mqttCeiling = generator.drive(s, viaDevices, processes(Map.of()), null, ceilingWarmup());
                System.err.printf("[bench]   mqtt ceiling %s%n", mqttCeiling.figures());
            }
            LoadGenerator.Driven kafkaCeiling;
            try (KafkaProducer<String, byte[]> producer = producer();
                    TelemetryCollector consumer = collector(topic + "-ceiling", false)) {
                kafkaCeiling = generator.drive(
                        s,
                        (d, seq, payload) ->
                                producer.send(new ProducerRecord<>(topic + "-ceiling", ids.get(d), payload)),
                        processes(Map.of()),
                        null,
                        ceilingWarmup());
                System.err.printf("[bench]   kafka ceiling %s%n", kafkaCeiling.figures());
            }
            try (TelemetryCollector consumer = collector(topic + "-bridge", false)) {
                bridged(s, out, telemetryEnvironment(s, topic), topic, jar, viaDevices, mqttCeiling, kafkaCeiling);
            }
        }
    }

    private Map<String, String> telemetryEnvironment(Scenario s, String topic) throws Exception {
        Path rules = work.resolve(topic + "-rules.yaml");
        Files.writeString(rules, s.rule().rulesFile(topic + "-bridge"));
        Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "bridge-" + topic);
        env.put("BRIDGE_RULES_FILE", rules.toAbsolutePath().toString());
        return env;
    }

    // ---- commands: Kafka -> (consumer | bridge -> MQTT -> devices) ----

    private void commands(Scenario s, List<String> ids, String topic, ObjectNode out, Path jar) throws Exception {
        try (MqttFleet devices =
                MqttFleet.connect(vertx, mqtt, ids, 10, "devices/%s/commands/+/+", s.qos(), generator::received)) {
            LoadGenerator.Driven mqttCeiling;
            // One publisher with the bridge's window (bridge.commands.max-in-flight=1000), straight to the devices.
            try (MqttFleet publisher =
                    MqttFleet.connect(vertx, mqtt, List.of("bench-publisher-" + topic), 1000, null, 0, null)) {
                mqttCeiling = generator.drive(
                        s,
                        (d, seq, payload) -> publisher.send(
                                0, "devices/" + ids.get(d) + "/commands/bench/c" + d + "-" + seq, payload, s.qos()),
                        processes(Map.of()),
                        null,
                        ceilingWarmup());
            }
            LoadGenerator.Driven kafkaCeiling;
            try (KafkaCommandWriter writer = new KafkaCommandWriter(kafka.bootstrapServers(), topic + "-ceiling");
                    TelemetryCollector consumer = collector(topic + "-ceiling", true)) {
                kafkaCeiling = generator.drive(
                        s,
                        (d, seq, payload) -> writer.send(ids.get(d), command(d, seq, payload, s)),
                        processes(Map.of()),
                        null,
                        ceilingWarmup());
            }
            try (KafkaCommandWriter writer = new KafkaCommandWriter(kafka.bootstrapServers(), topic + "-bridge")) {
                Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "bridge-" + topic);
                env.put("BRIDGE_COMMANDS_TOPIC", topic + "-bridge");
                bridged(
                        s,
                        out,
                        env,
                        topic,
                        jar,
                        (d, seq, payload) -> writer.send(ids.get(d), command(d, seq, payload, s)),
                        mqttCeiling,
                        kafkaCeiling);
            }
        }
    }

    private static String command(int device, long seq, byte[] payload, Scenario s) {
        return "{\"name\":\"bench\",\"correlationId\":\"c" + device + "-" + seq + "\",\"qos\":" + s.qos()
                + ",\"payload\":\"" + new String(payload, StandardCharsets.US_ASCII) + "\"}";
    }

    // ---- idle: the bridge with its devices connected, no traffic ----

    /**
     * Starts the bridge with the telemetry rule and the devices connected, waits {@code bench.warmup} (startup's
     * compilation settles), then measures the bridge's CPU over {@code bench.duration} with nothing sent.
     */
    private void idle(Scenario s, List<String> ids, String topic, ObjectNode out, Path jar) throws Exception {
        Map<String, String> env = telemetryEnvironment(s, topic);
        try (MqttFleet devices = MqttFleet.connect(vertx, mqtt, ids, 10, null, 0, null)) {
            started(s, env, topic, jar, (bridges, readyMillis) -> {
                Ports.sleep(settings.warmup().toMillis());
                Map<String, Long> pids = processes(bridges.pids());
                CpuSample start = CpuSample.take(pids);
                long deadline = start.nanos() + settings.duration().toNanos();
                long left = deadline - System.nanoTime();
                while (left > 0) {
                    bridges.sampleRss();
                    Ports.sleep(Math.min(200, Math.max(1, left / 1_000_000)));
                    left = deadline - System.nanoTime();
                }
                CpuSample end = CpuSample.take(pids);
                double seconds = (end.nanos() - start.nanos()) / 1e9;
                out.put("bridge_idle_cpu_pct", round(100 * end.bridgeSecondsSince(start) / seconds));
                long[] switches = end.bridgeSwitchesSince(start);
                out.put("ctx_switches_per_s", round((switches[0] + switches[1]) / seconds));
                out.put("ctx_switches_nonvoluntary_per_s", round(switches[1] / seconds));
                end.coresSince(start, out.putObject("cpu_cores"));
                out.put("bridge_peak_rss_mb", bridges.peakRssMb());
                out.put("time_to_ready_ms", readyMillis);
                egress.window(start.nanos(), end.nanos(), 0, out.putObject("broker_egress"));
            });
        }
    }

    // ---- the bridge's path ----

    /** What to do with the bridge (or replicas) once ready; {@code readyMillis} from start to ready. */
    private interface WhileUp {
        void run(BridgeReplicas bridges, long readyMillis) throws Exception;
    }

    /**
     * Starts the scenario's bridge (or replicas) with {@code env}, {@code bench.protocol} and {@code bench.bridge-env}
     * added, runs {@code body} once it is ready, then stops it and clears its persistent sessions.
     */
    private void started(Scenario s, Map<String, String> env, String topic, Path jar, WhileUp body) throws Exception {
        // Only when asked: a build without the setting (MQTT 3.1.1 only) must not be told about it.
        if (!settings.protocol().isEmpty()) {
            env.put("BRIDGE_MQTT_PROTOCOL", settings.protocol());
        }
        // Every listener of the benchmark is on the loopback interface.
        env.putIfAbsent("QUARKUS_HTTP_HOST", "127.0.0.1");
        // bench.bridge-env=KEY=VALUE,... tries a setting on the bridge, e.g. a producer knob, as an operator would.
        env.putAll(settings.bridgeEnv());
        long started = System.nanoTime();
        try (BridgeReplicas bridges = BridgeReplicas.start(
                jar, env, s.replicas(), s.shards(), work.resolve(topic + "-bridge"), settings.bridgeJvm())) {
            // Replicas first become ready, then share the shards out and open their sessions.
            bridges.awaitReady(Duration.ofSeconds(s.clustered() ? 180 : 60));
            body.run(bridges, (System.nanoTime() - started) / 1_000_000);
        } finally {
            for (String session : BridgeReplicas.sessions(env.get("BRIDGE_MQTT_CLIENT_ID"), s.shards())) {
                forgetSession(session);
            }
        }
    }

    /** Runs the bridge for one scenario and puts its figures and ratios into {@code out}. */
    private void bridged(
            Scenario s,
            ObjectNode out,
            Map<String, String> env,
            String topic,
            Path jar,
            LoadGenerator.Sender sender,
            LoadGenerator.Driven mqttCeilingRun,
            LoadGenerator.Driven kafkaCeilingRun)
            throws Exception {
        Ledger.Figures mqttCeiling = mqttCeilingRun.figures();
        Ledger.Figures kafkaCeiling = kafkaCeilingRun.figures();
        started(s, env, topic, jar, (bridges, readyMillis) -> {
            LoadGenerator.Driven driven =
                    generator.drive(s, sender, processes(bridges.pids()), bridges::sampleRss, settings.warmup());
            Ledger.Figures bridgeFigures = driven.figures();
            System.err.printf("[bench]   bridge %s%n", bridgeFigures);
            put(out, bridgeFigures);
            out.put("generator_msg_s", round(driven.generatorRate()));
            double messages =
                    Math.max(1, bridgeFigures.throughput() * settings.duration().toMillis() / 1000.0);
            CpuSample windowStart = driven.windowStart();
            CpuSample windowEnd = driven.windowEnd();
            // Summed over the replicas: what the messages cost the bridge as a whole.
            out.put("cpu_us_per_msg", round(windowEnd.bridgeSecondsSince(windowStart) * 1e6 / messages));
            out.put(
                    "cpu_us_per_msg_warmup",
                    round(windowStart.bridgeSecondsSince(driven.warmupStart())
                            * 1e6
                            / Math.max(1, driven.warmupSent())));
            long[] switches = windowEnd.bridgeSwitchesSince(windowStart);
            out.put("ctx_switches_per_msg", round((switches[0] + switches[1]) / messages));
            out.put("ctx_switches_nonvoluntary_per_msg", round(switches[1] / messages));
            driven.cores(out.putObject("cpu_cores"));
            egress.window(
                    windowStart.nanos(), windowEnd.nanos(), bridgeFigures.throughput(), out.putObject("broker_egress"));
            out.put("bridge_peak_rss_mb", bridges.peakRssMb());
            out.put("time_to_ready_ms", readyMillis);
            out.put("bridge_window_overflows", bridges.metric("edgebridge_telemetry_window_overflows_total"));
            // MQTT receipt to Kafka ack inside the bridge: the rest of the end-to-end latency is spent outside it.
            double latencySum = bridges.metric("edgebridge_telemetry_latency_seconds_sum");
            double latencyCount = bridges.metric("edgebridge_telemetry_latency_seconds_count");
            out.put("bridge_internal_latency_avg_ms", round(1000 * latencySum / Math.max(1, latencyCount)));
            double ceiling = Math.min(mqttCeiling.throughput(), kafkaCeiling.throughput());
            out.put("throughput_vs_ceiling", round(bridgeFigures.throughput() / ceiling));
            out.put("throughput_vs_mqtt_ceiling", round(bridgeFigures.throughput() / mqttCeiling.throughput()));
            out.put("throughput_vs_kafka_ceiling", round(bridgeFigures.throughput() / kafkaCeiling.throughput()));
            // The bridge path is both hops in series, so its latency floor is the two ceilings' latencies added.
            out.put("p50_over_ceiling_ms", round(bridgeFigures.p50() - mqttCeiling.p50() - kafkaCeiling.p50()));
            out.put("p99_over_ceiling_ms", round(bridgeFigures.p99() - mqttCeiling.p99() - kafkaCeiling.p99()));
            out.put("p999_over_ceiling_ms", round(bridgeFigures.p999() - mqttCeiling.p999() - kafkaCeiling.p999()));
            mqttCeilingRun.cores(put(out.putObject("mqtt_ceiling"), mqttCeiling).putObject("cpu_cores"));
            kafkaCeilingRun.cores(
                    put(out.putObject("kafka_ceiling"), kafkaCeiling).putObject("cpu_cores"));
        });
    }

    /** The stopped bridge's persistent session would keep collecting later scenarios' messages: clear it. */
    private void forgetSession(String clientId) {
        try (MqttFleet clean = MqttFleet.connect(vertx, mqtt, List.of(clientId), 10, null, 0, null)) {
            // a clean-session CONNECT discards the stored session
        }
    }

    /** The processes whose CPU a run reports: the bridge's, the brokers, this JVM and the CPU burner if running. */
    private Map<String, Long> processes(Map<String, Long> bridges) {
        Map<String, Long> pids = new LinkedHashMap<>(bridges);
        pids.put("mosquitto", mqtt.pid());
        pids.put("kafka", kafka.pid());
        // The load generator, the Kafka consumer and, in the Kafka ceiling, the producer.
        pids.put("bench", ProcessHandle.current().pid());
        if (burner != null) {
            pids.put("burner", burner.pid());
        }
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
                record -> generator.received(commandRecords ? commandPayload(record.value()) : record.value()),
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
        egress.close();
        vertx.close();
        kafka.close();
        mqtt.close();
    }
}
