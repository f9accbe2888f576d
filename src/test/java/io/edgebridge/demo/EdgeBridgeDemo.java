package io.edgebridge.demo;

import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.HiveMqBroker;
import io.edgebridge.testkit.KafkaBroker;
import io.edgebridge.testkit.KafkaCommandWriter;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.Mqtt5Device;
import io.edgebridge.testkit.Ports;
import io.edgebridge.testkit.TestTokens;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * {@code ./mvnw -Pdemo}: an MQTT 5 broker with TLS and passwords (HiveMQ CE, its own JVM) and a KRaft Kafka broker
 * inside this JVM, the packaged bridge as its own process, a few simulated MQTT 5 devices that publish telemetry
 * with properties and answer commands on the response topic they carry, a cloud side sending commands through REST
 * and Kafka, and a Kafka consumer printing what arrives.
 * Ctrl-C stops everything; {@code -Ddemo.seconds=N} stops after N seconds.
 */
public final class EdgeBridgeDemo {

    private static final Path DIR = Path.of("demo-data").toAbsolutePath();
    private static final List<String> DEVICES = List.of("sensor-01", "sensor-02", "pump-07");
    private static final Map<String, String> FIRMWARE =
            Map.of("sensor-01", "th-2.4.1", "sensor-02", "th-2.3.0", "pump-07", "pm-1.0.3");

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<AutoCloseable> resources = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Logger.getLogger("").setLevel(Level.SEVERE);
        new EdgeBridgeDemo().run(Long.getLong("demo.seconds", 0));
    }

    private void run(long seconds) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "demo-stop"));
        deleteRecursively(DIR);
        say("Starting an MQTT 5 broker (HiveMQ CE in its own JVM; TLS, user name + password)"
                + " and a Kafka broker (KRaft) in this JVM ...");
        HiveMqBroker mqtt = HiveMqBroker.startWithPassword(DIR.resolve("mqtt"));
        resources.add(mqtt);
        KafkaBroker kafka = KafkaBroker.start();
        resources.add(kafka);
        kafka.createTopics(
                4,
                "device-telemetry",
                "telemetry.readings",
                "device-telemetry-dlq",
                "device-commands",
                "device-command-status",
                "device-command-responses",
                "device-commands-dlq");
        say("  MQTT  ssl://127.0.0.1:%d  (CA %s; log %s)", mqtt.port(), mqtt.certificates().caCert, mqtt.logFile());
        say("  Kafka %s", kafka.bootstrapServers());

        Path rules = write("rules.yaml", """
                rules:
                  - name: device-telemetry
                    mqtt-topic: devices/{deviceId}/telemetry
                    kafka-topic: device-telemetry
                    format: json
                    user-properties:
                      allow: [firmware]
                  - name: batches
                    mqtt-topic: devices/{deviceId}/batch
                    kafka-topic: telemetry.readings
                    format: json
                    transform:
                      when: '.test != true'
                      jslt: |
                        [for (.readings) {"device": $deviceId, "site": $site,
                                          "celsius": round((.f - 32) * 50 / 9) / 10, "ts": .ts}]
                      event-time: /ts
                      max-records: 50
                """);
        Path registry = write("registry.yaml", """
                devices:
                  sensor-01: { site: plant-a, model: th-100 }
                  sensor-02: { site: plant-b, model: th-100 }
                """);
        Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-demo");
        env.put("BRIDGE_RULES_FILE", rules.toString());
        env.put("BRIDGE_REGISTRY_FILE", registry.toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort()));
        say(
                "Starting the bridge: java -jar %s (configured by env vars; log in %s)",
                BridgeProcess.JAR, DIR.resolve("bridge.log"));
        BridgeProcess bridge = BridgeProcess.start(env, DIR.resolve("bridge.log"));
        resources.add(0, bridge);
        if (!bridge.awaitReady(Duration.ofSeconds(60))) {
            say("The bridge did not become ready; its log:%n%s", bridge.output());
            System.exit(1);
        }
        int port = bridge.httpPort();
        say("Bridge ready:  http://127.0.0.1:%d/q/health/ready   http://127.0.0.1:%d/q/metrics", port, port);
        say(
                "Devices %s speak MQTT 5 over TLS: JSON telemetry every second with a content type and a user property"
                        + " (firmware, which the rule forwards as the Kafka header mqtt-firmware);"
                        + " every 5th message of pump-07 is broken.",
                DEVICES);
        say("sensor-01 also sends a batch of three Fahrenheit readings every 4 s to devices/sensor-01/batch; the rule"
                + " 'batches' splits it into one record per reading on telemetry.readings, converted to Celsius and"
                + " time-stamped from each reading (every 3rd batch is a test batch, filtered out).");
        say("Every 3 s the cloud sends a command, alternately through the REST API (waiting for the device's answer)"
                + " and as a record on device-commands; the devices answer each one the MQTT 5 way: on the command's"
                + " response topic, with its correlation data.");
        Path token = DIR.resolve("operator.jwt");
        Files.writeString(token, TestTokens.shared().token("demo-operator", "commands:write", "commands:read"));
        say(
                "Send one yourself (the API wants a bearer JWT; the demo signed one into %s):%n"
                        + "  curl -H \"Authorization: Bearer $(cat %s)\" -d '{\"times\":3}'"
                        + " 'http://127.0.0.1:%d/api/v1/devices/%s/commands/blink?wait=PT5S'%n",
                token, token, port, DEVICES.get(0));

        Thread consumer = new Thread(() -> consume(kafka.bootstrapServers()), "demo-kafka-consumer");
        consumer.start();
        for (String id : DEVICES) {
            Mqtt5Device device = Mqtt5Device.connect(mqtt, id, Duration.ZERO);
            resources.add(0, device);
            device.takeCommands(command -> {
                // The bridge's command topic: devices/{deviceId}/commands/{name}/{correlationId}.
                String name = command.topic().split("/")[3];
                String answer = "{\"ok\":true,\"did\":\"" + name + "\"}";
                say("device %-9s <- MQTT  %s  %s", id, command.topic(), command.payload());
                say(
                        "device %-9s -> MQTT  %s  %s  correlation-data=%s",
                        id, command.properties().getResponseTopic(), answer, command.correlationId());
                return answer;
            });
            Thread publisher = new Thread(() -> publish(device), "demo-device-" + id);
            publisher.setDaemon(true);
            publisher.start();
        }
        Mqtt5Device batcher = Mqtt5Device.connect(mqtt, DEVICES.get(0) + "-batches", Duration.ZERO);
        resources.add(0, batcher);
        Thread batches = new Thread(() -> publishBatches(batcher, DEVICES.get(0)), "demo-batches");
        batches.setDaemon(true);
        batches.start();
        KafkaCommandWriter commands = new KafkaCommandWriter(kafka.bootstrapServers(), "device-commands");
        resources.add(0, commands);
        Thread cloud = new Thread(() -> sendCommands(port, commands), "demo-cloud");
        cloud.setDaemon(true);
        cloud.start();
        if (seconds > 0) {
            Thread.sleep(seconds * 1000);
            say("%nDemo ran %d s; stopping.", seconds);
            System.exit(0);
        }
        stopped.await();
    }

    private void publish(Mqtt5Device device) {
        double temperature = 20 + ThreadLocalRandom.current().nextDouble(5);
        for (int seq = 1; running.get(); seq++) {
            temperature += ThreadLocalRandom.current().nextDouble(-0.3, 0.3);
            String payload = device.id().equals("pump-07") && seq % 5 == 0
                    ? "{\"temperature\": " + String.format(Locale.ROOT, "%.1f", temperature) + ", oops"
                    : String.format(Locale.ROOT, "{\"seq\":%d,\"temperature\":%.1f}", seq, temperature);
            // MQTT 5 properties with each message: the bridge keeps the content type, and forwards the user
            // properties its rule allows as Kafka headers.
            MqttProperties properties = new MqttProperties();
            properties.setContentType("application/json");
            properties.setUserProperties(List.of(new UserProperty("firmware", FIRMWARE.get(device.id()))));
            try {
                device.publish(
                        "devices/" + device.id() + "/telemetry",
                        payload.getBytes(StandardCharsets.UTF_8),
                        1,
                        properties);
                say(
                        "device %-9s -> MQTT  devices/%s/telemetry  %s  content-type=%s firmware=%s",
                        device.id(), device.id(), payload, properties.getContentType(), FIRMWARE.get(device.id()));
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running.get()) {
                    say("device %s: %s", device.id(), e.getMessage());
                }
                return;
            }
        }
    }

    /** Batched readings in Fahrenheit, each with its own time: the rule splits, converts and time-stamps them. */
    private void publishBatches(Mqtt5Device connection, String deviceId) {
        for (int n = 1; running.get(); n++) {
            long now = System.currentTimeMillis();
            double f = 68 + ThreadLocalRandom.current().nextDouble(2);
            String payload = String.format(
                    Locale.ROOT,
                    "{%s\"readings\":[{\"f\":%.1f,\"ts\":%d},{\"f\":%.1f,\"ts\":%d},{\"f\":%.1f,\"ts\":%d}]}",
                    n % 3 == 0 ? "\"test\":true," : "",
                    f,
                    now - 2000,
                    f + 0.3,
                    now - 1000,
                    f + 0.6,
                    now);
            try {
                connection.publish("devices/" + deviceId + "/batch", payload.getBytes(StandardCharsets.UTF_8), 1, null);
                say("device %-9s -> MQTT  devices/%s/batch  %s", deviceId, deviceId, payload);
                Thread.sleep(4000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running.get()) {
                    say("device %s: %s", deviceId, e.getMessage());
                }
                return;
            }
        }
    }

    /** The cloud side: a command every 3 s, through REST (waiting for the answer) or Kafka. */
    private void sendCommands(int port, KafkaCommandWriter commands) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // The API wants a bearer JWT with role commands:write; the demo plays the identity provider.
        String bearer = TestTokens.shared().bearer("demo-operator", "commands:write", "commands:read");
        for (int n = 0; running.get(); n++) {
            try {
                Thread.sleep(3000);
                if (!running.get()) {
                    return;
                }
                String device = DEVICES.get(n % DEVICES.size());
                if (n % 2 == 0) {
                    String path = "/api/v1/devices/" + device + "/commands/blink?wait=PT5S&ttl=PT30S";
                    say("cloud -> REST  POST %s  {\"times\":%d}", path, n);
                    long start = System.nanoTime();
                    HttpResponse<String> response = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"times\":" + n + "}"))
                                    .header("Content-Type", "application/json")
                                    .header("Authorization", bearer)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    say(
                            "cloud <- REST  %d in %d ms  %s",
                            response.statusCode(), (System.nanoTime() - start) / 1_000_000, response.body());
                } else {
                    String command = "{\"name\":\"set-interval\",\"payload\":{\"seconds\":" + (n % 5 + 1)
                            + "},\"ttlSeconds\":30}";
                    say("cloud -> Kafka device-commands key=%s  %s", device, command);
                    commands.write(device, command);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (running.get()) {
                    say("cloud: %s", e);
                }
            }
        }
    }

    private void consume(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "edge-bridge-demo");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(
                    "device-telemetry", "telemetry.readings", "device-telemetry-dlq", "device-command-responses"));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String value = new String(record.value(), StandardCharsets.UTF_8);
                    if (record.topic().equals("device-command-responses")) {
                        say(
                                "  Kafka <- %s[%d] key=%s correlation-id=%s %s",
                                record.topic(),
                                record.partition(),
                                record.key(),
                                KafkaTopicReader.header(record, "correlation-id"),
                                value);
                    } else if (record.topic().equals("telemetry.readings")) {
                        say(
                                "  Kafka <- %s[%d] key=%s record-time=%s ce_time=%s %s",
                                record.topic(),
                                record.partition(),
                                record.key(),
                                Instant.ofEpochMilli(record.timestamp()),
                                KafkaTopicReader.header(record, "ce_time"),
                                value);
                    } else if (record.topic().endsWith("-dlq")) {
                        say(
                                "  Kafka <- %s[%d] key=%s DEAD LETTER reason=%s: %s",
                                record.topic(),
                                record.partition(),
                                record.key(),
                                KafkaTopicReader.header(record, "dead-letter-reason"),
                                KafkaTopicReader.header(record, "dead-letter-cause"));
                    } else {
                        String site = KafkaTopicReader.header(record, "ce_site");
                        say(
                                "  Kafka <- %s[%d] key=%s %s mqtt-firmware=%s content-type=%s time=%s %s",
                                record.topic(),
                                record.partition(),
                                record.key(),
                                site == null
                                        ? "(not in registry)"
                                        : "site=" + site + " model=" + KafkaTopicReader.header(record, "ce_model"),
                                KafkaTopicReader.header(record, "mqtt-firmware"),
                                KafkaTopicReader.header(record, "content-type"),
                                KafkaTopicReader.header(record, "ce_time"),
                                value);
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                say("consumer stopped: %s", e);
            }
        }
    }

    private synchronized void shutdown() {
        if (!running.getAndSet(false)) {
            return;
        }
        say("Stopping devices, bridge and brokers ...");
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        stopped.countDown();
    }

    private static int httpPort() {
        try (ServerSocket socket = new ServerSocket(8080, 1, InetAddress.getLoopbackAddress())) {
            return 8080;
        } catch (IOException e) {
            return Ports.free();
        }
    }

    private static Path write(String name, String content) throws IOException {
        Path file = DIR.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
