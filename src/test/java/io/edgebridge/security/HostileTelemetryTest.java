package io.edgebridge.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.MqttBroker;
import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.SharedBrokers;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * 10,000 generated hostile messages through the running bridge (real Mosquitto with TLS, real Kafka): device ids
 * with invisible, bidi, look-alike and over-long characters, broken, deeply nested, trailing and empty JSON,
 * oversized and binary payloads, topics no rule matches. Each must come out exactly once, either forwarded as
 * sent or dead-lettered with the reason this test expects, and the bridge must stay ready.
 */
@QuarkusTest
@QuarkusTestResource(value = RealBrokersResource.class, restrictToAnnotatedClass = true)
class HostileTelemetryTest {

    private static final int MESSAGES = 10_000;
    private static final int PUBLISHERS = 4;
    private static final int IN_FLIGHT = 8;
    private static final int MAX_PAYLOAD = RealBrokersResource.MAX_PAYLOAD_BYTES;
    private static final int MAX_ID = 128;

    /** One generated input and what must become of it: a Kafka topic, or a dead-letter reason. */
    record Input(String mqttTopic, byte[] payload, String expectedTopic, String expectedReason) {
        String key() {
            return correlation(mqttTopic, payload);
        }
    }

    /** Topics are unique per input, but for the empty device id level; there the payload tells them apart. */
    static String correlation(String topic, byte[] payload) {
        return topic == null
                ? ""
                : topic.contains("//") ? topic + "|" + new String(payload, StandardCharsets.UTF_8) : topic;
    }

    private enum Id {
        PLAIN("h%d", true),
        CYRILLIC_LOOKALIKE("h%d-\u0430dmin", true),
        CJK_AND_EMOJI("h%d-\u65e5\u672c-\ud83d\ude80", true),
        ZERO_WIDTH("h%d\u200b", false),
        BIDI_OVERRIDE("\u202eh%d", false),
        NO_BREAK_SPACE("h%d\u00a0x", false),
        BYTE_ORDER_MARK("h%d\ufeff", false),
        SPACE(" h%d", false),
        DOLLAR("$h%d", false),
        TOO_LONG("h%d-" + "x".repeat(MAX_ID), false),
        PRIVATE_USE("h%d\ue000", false);

        final String format;
        final boolean valid;

        Id(String format, boolean valid) {
            this.format = format;
            this.valid = valid;
        }
    }

    static List<Input> generate(long seed) {
        Random random = new Random(seed);
        List<Input> inputs = new ArrayList<>();
        Id[] ids = Id.values();
        for (int n = 0; n < MESSAGES; n++) {
            Id id = ids[random.nextInt(ids.length)];
            String deviceId = id.format.replace("h%d", "h" + Long.toString(seed & 0xffffff, 36) + "-" + n);
            boolean json = random.nextBoolean();
            int kind = random.nextInt(10);
            String topic =
                    json ? "devices/" + deviceId + "/telemetry/temperature" : "devices/" + deviceId + "/telemetry";
            String target = json ? "telemetry.temperature" : "device-telemetry";
            byte[] payload;
            String reason = null;
            switch (kind) {
                case 0 -> { // an empty device id level: subscribed to, but no rule takes it
                    topic = json ? "devices//telemetry/temperature" : "devices//telemetry";
                    payload = ("{\"n\":\"" + deviceId + "\"}").getBytes(StandardCharsets.UTF_8);
                    reason = "no-matching-rule";
                }
                case 1 -> {
                    payload = new byte[MAX_PAYLOAD + 1 + random.nextInt(2000)];
                    Arrays.fill(payload, (byte) '7');
                    reason = "payload-too-large";
                }
                case 2 -> {
                    payload = ("{\"n\":" + n + ",").getBytes(StandardCharsets.UTF_8);
                    reason = json ? "invalid-json" : null;
                }
                case 3 -> {
                    int depth = 1001 + random.nextInt(900); // past Jackson's nesting limit, within the size limit
                    payload = ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
                    reason = json ? "invalid-json" : null;
                }
                case 4 -> {
                    payload = ("{\"n\":" + n + "} {\"again\":true}").getBytes(StandardCharsets.UTF_8);
                    reason = json ? "invalid-json" : null;
                }
                case 5 -> {
                    payload = new byte[0];
                    reason = json ? "invalid-json" : null;
                }
                case 6 -> { // binary: fine for a raw rule, not JSON
                    payload = new byte[1 + random.nextInt(256)];
                    random.nextBytes(payload);
                    payload[0] = (byte) 0xff;
                    reason = json ? "invalid-json" : null;
                }
                case 7 -> { // JSON that is valid but nasty: escapes, unicode, a long string, nesting under the limit
                    payload = ("{\"n\":" + n + ",\"s\":\"\\u0000\\\"\\\\/\u202e" + "y".repeat(random.nextInt(2000))
                                    + "\",\"deep\":" + "[".repeat(200) + "]".repeat(200) + "}")
                            .getBytes(StandardCharsets.UTF_8);
                }
                default ->
                    payload =
                            ("{\"n\":" + n + ",\"v\":" + random.nextGaussian() + "}").getBytes(StandardCharsets.UTF_8);
            }
            if (kind != 0 && !id.valid) {
                reason = "invalid-device-id"; // checked before size and format
            }
            inputs.add(new Input(topic, payload, reason == null ? target : "device-telemetry-dlq", reason));
        }
        return inputs;
    }

    @Test
    void tenThousandHostileInputsAreEachForwardedAsSentOrDeadLetteredWithTheirReason() throws Exception {
        long seed = Long.getLong("hostile.seed", System.nanoTime());
        System.out.printf("hostile inputs seed %d (rerun with -Dhostile.seed=%d)%n", seed, seed);
        List<Input> inputs = generate(seed);
        Map<String, Input> byKey = new HashMap<>();
        inputs.forEach(input -> byKey.put(input.key(), input));
        assertEquals(MESSAGES, byKey.size(), "every input can be told apart");

        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        try (KafkaTopicReader reader = new KafkaTopicReader(
                SharedBrokers.kafka().bootstrapServers(),
                "telemetry.temperature",
                "device-telemetry",
                "device-telemetry-dlq")) {
            publish(inputs);

            reader.await(r -> byKey.containsKey(key(r)), MESSAGES, Duration.ofSeconds(180));
            reader.drain(Duration.ofSeconds(2)); // a duplicate would arrive by now
            List<ConsumerRecord<String, byte[]>> ours =
                    reader.await(r -> byKey.containsKey(key(r)), Integer.MAX_VALUE, Duration.ZERO);
            Map<String, Integer> outcomes = new TreeMap<>();
            Map<String, Integer> seen = new HashMap<>();
            for (ConsumerRecord<String, byte[]> record : ours) {
                Input input = byKey.get(key(record));
                seen.merge(input.key(), 1, Integer::sum);
                String reason = KafkaTopicReader.header(record, "dead-letter-reason");
                assertEquals(input.expectedTopic(), record.topic(), () -> "topic of " + describe(input, record));
                assertEquals(input.expectedReason(), reason, () -> "reason of " + describe(input, record));
                if (reason == null) {
                    assertArrayEquals(
                            input.payload(), record.value(), () -> "payload forwarded as sent: " + input.mqttTopic());
                    assertEquals(deviceId(input.mqttTopic()), record.key(), "keyed by the device id, exactly as sent");
                } else {
                    assertTrue(
                            KafkaTopicReader.header(record, "dead-letter-cause").length() > 5);
                }
                outcomes.merge(reason == null ? "forwarded" : reason, 1, Integer::sum);
            }
            System.out.printf("hostile inputs: %s%n", outcomes);
            List<String> missing = inputs.stream()
                    .map(Input::key)
                    .filter(k -> !seen.containsKey(k))
                    .limit(5)
                    .toList();
            assertEquals(MESSAGES, ours.size(), () -> "every input came out; missing e.g. " + missing);
            assertTrue(seen.values().stream().allMatch(count -> count == 1), "each exactly once");
            assertTrue(
                    outcomes.keySet()
                            .containsAll(List.of(
                                    "forwarded",
                                    "invalid-device-id",
                                    "invalid-json",
                                    "payload-too-large",
                                    "no-matching-rule")),
                    outcomes::toString);
        }
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        // 10,000 new device ids, and no metric series learned any of them: labels are rules and reasons only.
        String run = "h" + Long.toString(seed & 0xffffff, 36) + "-";
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().noneMatch(line -> line.contains(run)), "no device id in any metric label");
        long series =
                metrics.lines().filter(line -> line.startsWith("edgebridge_")).count();
        assertTrue(series < 400, "a bounded number of edgebridge_ series: " + series);
    }

    /**
     * A raw MQTT client (Vert.x), not paho: paho refuses to send some legal UTF-8 (U+FEFF, surrogate pairs), and a
     * hostile device is not bound to a polite client. Each publisher keeps a few QoS 1 messages in flight.
     */
    private static void publish(List<Input> inputs) throws Exception {
        MqttBroker broker = SharedBrokers.mqtt();
        Vertx vertx = Vertx.vertx();
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                MqttClientOptions options = new MqttClientOptions()
                        .setClientId("hostile-" + p + "-" + System.nanoTime())
                        .setUsername(broker.username())
                        .setPassword(broker.password())
                        .setSsl(true)
                        .setHostnameVerificationAlgorithm("HTTPS")
                        .setMaxInflightQueue(IN_FLIGHT)
                        .setTrustOptions(new PemTrustOptions()
                                .addCertPath(broker.certificates().caCert.toString()));
                MqttClient client = MqttClient.create(vertx, options);
                client.connect(broker.port(), broker.host())
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                List<Input> mine = new ArrayList<>();
                for (int i = p; i < inputs.size(); i += PUBLISHERS) {
                    mine.add(inputs.get(i));
                }
                CompletableFuture<Void> finished = new CompletableFuture<>();
                AtomicInteger next = new AtomicInteger();
                AtomicInteger acknowledged = new AtomicInteger();
                client.exceptionHandler(finished::completeExceptionally);
                client.closeHandler(v -> finished.completeExceptionally(new IllegalStateException("the broker closed "
                        + options.getClientId() + " after " + acknowledged + " acknowledgements")));
                Runnable send = () -> {
                    int i = next.getAndIncrement();
                    if (i < mine.size()) {
                        client.publish(
                                        mine.get(i).mqttTopic(),
                                        Buffer.buffer(mine.get(i).payload()),
                                        MqttQoS.AT_LEAST_ONCE,
                                        false,
                                        false)
                                .onFailure(finished::completeExceptionally);
                    }
                };
                client.publishCompletionHandler(id -> {
                    if (acknowledged.incrementAndGet() == mine.size()) {
                        finished.complete(null);
                    } else {
                        send.run();
                    }
                });
                vertx.runOnContext(v -> {
                    for (int i = 0; i < IN_FLIGHT; i++) {
                        send.run();
                    }
                });
                done.add(finished.whenComplete((v, e) -> client.disconnect()));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static String key(ConsumerRecord<String, byte[]> record) {
        String dlq = KafkaTopicReader.header(record, "dead-letter-mqtt-topic");
        return correlation(dlq != null ? dlq : KafkaTopicReader.header(record, "ce_source"), record.value());
    }

    private static String deviceId(String topic) {
        return topic.split("/")[1];
    }

    private static String describe(Input input, ConsumerRecord<String, byte[]> record) {
        return input.mqttTopic()
                        .codePoints()
                        .limit(60)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                + " (" + input.payload().length + " bytes) -> " + record.topic() + " "
                + KafkaTopicReader.header(record, "dead-letter-reason") + ": "
                + KafkaTopicReader.header(record, "dead-letter-cause");
    }
}
