package io.edgebridge.command;

import static io.edgebridge.testkit.KafkaTopicReader.header;
import static io.edgebridge.testkit.KafkaTopicReader.json;
import static io.edgebridge.testkit.KafkaTopicReader.value;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.CommandDevice;
import io.edgebridge.testkit.KafkaCommandWriter;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.SharedBrokers;
import io.edgebridge.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands from Kafka and REST to devices on a real Mosquitto (TLS + password), responses back to a real Kafka. */
@QuarkusTest
@QuarkusTestResource(value = RealBrokersResource.class, restrictToAnnotatedClass = true)
class CommandFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A token with both roles: what an operator's backend holds. ApiAuthTest covers the refusals. */
    private static final String OPERATOR =
            TestTokens.shared().bearer("test-operator", "commands:write", "commands:read");

    private KafkaCommandWriter commands;
    private KafkaTopicReader status;

    private static RequestSpecification operator() {
        return given().header("Authorization", OPERATOR);
    }

    @BeforeEach
    void bridgeIsReady() {
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        commands = new KafkaCommandWriter(SharedBrokers.kafka().bootstrapServers(), "device-commands");
        status = new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), "device-command-status");
        // Readiness does not wait for the consumer group's first assignment; short deadlines below would.
        String warmUp = unique("warm-up");
        commands.write("warm-up", "{\"name\":\"noop\",\"correlationId\":\"" + warmUp + "\"}");
        statuses(warmUp, "published");
    }

    @AfterEach
    void close() {
        commands.close();
        status.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private List<String> statuses(String correlationId, String last) {
        List<ConsumerRecord<String, byte[]>> records = status.await(
                r -> json(r).path("correlationId").asText().equals(correlationId)
                        && json(r).path("status").asText().equals(last),
                1,
                WAIT);
        List<String> seen = status.drain(Duration.ZERO).stream()
                .filter(r -> json(r).path("correlationId").asText().equals(correlationId))
                .map(r -> json(r).toString())
                .toList();
        assertEquals(1, records.size(), "status '" + last + "' of " + correlationId + "; seen: " + seen);
        return status.drain(Duration.ZERO).stream()
                .filter(r -> json(r).path("correlationId").asText().equals(correlationId))
                .map(r -> json(r).path("status").asText())
                .toList();
    }

    @Test
    void kafkaCommandReachesTheDeviceTopicWithPayloadAndQosAndTheResponseComesBackCorrelated() {
        String deviceId = unique("valve");
        String correlationId = unique("c");
        try (CommandDevice device = CommandDevice.start(SharedBrokers.mqtt(), deviceId, c -> "{\"done\":true}");
                KafkaTopicReader responses =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), "device-command-responses")) {
            commands.write(
                    deviceId,
                    "{\"name\":\"open\",\"payload\":{\"percent\":40},\"qos\":2,\"correlationId\":\"" + correlationId
                            + "\",\"ttlSeconds\":30}");
            List<ConsumerRecord<String, byte[]>> answered =
                    responses.await(r -> correlationId.equals(header(r, "correlation-id")), 1, WAIT);
            assertEquals(1, answered.size(), "the device's response reaches device-command-responses");
            ConsumerRecord<String, byte[]> response = answered.get(0);
            assertEquals(deviceId, response.key());
            assertEquals(deviceId, header(response, "device-id"));
            assertEquals("open", header(response, "command-name"));
            assertEquals("{\"done\":true}", value(response));
            assertEquals(
                    "devices/" + deviceId + "/commands/open/response/" + correlationId, header(response, "ce_source"));

            assertEquals(1, device.received().size());
            CommandDevice.Received received = device.received().get(0);
            assertEquals("devices/" + deviceId + "/commands/open/" + correlationId, received.topic());
            assertEquals("{\"percent\":40}", received.payload());
            assertEquals(2, received.qos(), "published with the QoS the command asked for");
            assertEquals(List.of("accepted", "published", "responded"), statuses(correlationId, "responded"));
            status.drain(Duration.ZERO).stream()
                    .filter(r -> json(r).path("correlationId").asText().equals(correlationId))
                    .forEach(r -> assertEquals(deviceId, r.key(), "status events are keyed by device"));
        }
    }

    @Test
    void anExpiredCommandIsNeverPublishedAndReportedExpired() throws InterruptedException {
        String deviceId = unique("pump");
        String expired = unique("c");
        String fresh = unique("c");
        try (CommandDevice device = CommandDevice.start(SharedBrokers.mqtt(), deviceId, null)) {
            commands.write(
                    deviceId,
                    "{\"name\":\"stop\",\"correlationId\":\"" + expired + "\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}");
            commands.write(deviceId, "{\"name\":\"start\",\"correlationId\":\"" + fresh + "\"}");
            assertEquals(List.of("expired"), statuses(expired, "expired"));
            statuses(fresh, "published");
            Awaitility.await().atMost(WAIT).until(() -> device.received().size() == 1);
            assertEquals(fresh, device.received().get(0).correlationId(), "only the live command reaches the device");
        }
    }

    @Test
    void aMalformedRecordIsDeadLetteredWithItsReasonAndTheNextCommandStillArrives() {
        String deviceId = unique("lamp");
        String next = unique("c");
        try (CommandDevice device = CommandDevice.start(SharedBrokers.mqtt(), deviceId, null);
                KafkaTopicReader dlq =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), "device-commands-dlq")) {
            commands.write(deviceId, "this is not json " + next);
            commands.write("lamp/+/#", "{\"name\":\"on\"}");
            commands.write(deviceId, "{\"name\":\"on\",\"qos\":7}");
            commands.write(deviceId, "{\"name\":\"on\",\"correlationId\":\"" + next + "\"}");
            Awaitility.await().atMost(WAIT).until(() -> device.received().size() == 1);
            assertEquals(next, device.received().get(0).correlationId());

            List<ConsumerRecord<String, byte[]>> dead = dlq.await(
                    r -> value(r).contains(next)
                            || (deviceId.equals(r.key()) && value(r).contains("\"qos\":7"))
                            || "lamp/+/#".equals(r.key()),
                    3,
                    WAIT);
            Map<String, String> reasons = new HashMap<>();
            dead.forEach(r -> reasons.put(value(r), header(r, "dead-letter-reason")));
            assertEquals("invalid-json", reasons.get("this is not json " + next));
            assertEquals("invalid-device-id", reasons.get("{\"name\":\"on\"}"));
            assertEquals("invalid-qos", reasons.get("{\"name\":\"on\",\"qos\":7}"));
            dead.forEach(r -> assertTrue(header(r, "dead-letter-cause").length() > 5, "a readable cause"));
            dead.forEach(r -> assertEquals("device-commands", header(r, "dead-letter-topic")));
        }
    }

    @Test
    void aPublishedCommandWithoutResponseTimesOutAtItsDeadline() {
        String deviceId = unique("gate");
        String correlationId = unique("c");
        try (CommandDevice device = CommandDevice.start(SharedBrokers.mqtt(), deviceId, null)) {
            commands.write(
                    deviceId, "{\"name\":\"close\",\"ttlSeconds\":3,\"correlationId\":\"" + correlationId + "\"}");
            assertEquals(List.of("accepted", "published", "timed-out"), statuses(correlationId, "timed-out"));
            assertEquals(1, device.received().size());
        }
    }

    /** Commands sent together time out together; the sweep takes them a batch per event-loop turn and loses none. */
    @Test
    void aBurstOfCommandsWithoutResponseAllTimeOut() {
        String deviceId = unique("siren");
        int burst = 400;
        try (CommandDevice device = CommandDevice.start(SharedBrokers.mqtt(), deviceId, null)) {
            for (int i = 0; i < burst; i++) {
                commands.send(
                        deviceId,
                        "{\"name\":\"test\",\"ttlSeconds\":2,\"correlationId\":\"" + deviceId + "-" + i + "\"}");
            }
            commands.flush();
            List<ConsumerRecord<String, byte[]>> timedOut = status.await(
                    r -> json(r).path("correlationId").asText().startsWith(deviceId + "-")
                            && json(r).path("status").asText().equals("timed-out"),
                    burst,
                    WAIT);
            assertEquals(
                    burst,
                    timedOut.stream()
                            .map(r -> json(r).path("correlationId").asText())
                            .distinct()
                            .count(),
                    "every command of the burst is reported timed-out, once");
            assertEquals(burst, timedOut.size());
            Awaitility.await().atMost(WAIT).until(() -> device.received().size() == burst);
        }
    }

    @Test
    void restRoundTripWithWaitReturnsTheDeviceResponse() {
        String deviceId = unique("meter");
        try (CommandDevice device = CommandDevice.start(
                SharedBrokers.mqtt(), deviceId, c -> "{\"reading\":42,\"asked\":" + c.payload() + "}")) {
            // The first call also warms up the REST and Kafka paths; the second one is the one timed.
            for (int i = 0; i < 2; i++) {
                long start = System.nanoTime();
                Response response = operator()
                        .body("{\"unit\":\"kWh\"}")
                        .contentType("application/json")
                        .queryParam("wait", "PT5S")
                        .queryParam("ttl", "30")
                        .post("/api/v1/devices/{deviceId}/commands/read", deviceId);
                long millis = (System.nanoTime() - start) / 1_000_000;
                response.then()
                        .statusCode(200)
                        .contentType("application/json")
                        .body(equalTo("{\"reading\":42,\"asked\":{\"unit\":\"kWh\"}}"));
                String correlationId = response.header("X-Correlation-Id");
                System.out.printf("REST command round trip with device response: %d ms%n", millis);
                operator()
                        .get("/api/v1/commands/{id}", correlationId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("responded"))
                        .body("deviceId", equalTo(deviceId));
            }
            assertEquals(2, device.received().size());
        }
    }

    @Test
    void restCommandWithoutWaitIsAcceptedWithALocationThatTellsItsStatus() {
        String deviceId = unique("fan");
        try (CommandDevice device = CommandDevice.start(SharedBrokers.mqtt(), deviceId, null)) {
            Response accepted = operator()
                    .body("fast")
                    .queryParam("qos", "0")
                    .post("/api/v1/devices/{deviceId}/commands/speed", deviceId);
            accepted.then().statusCode(202).body("status", equalTo("accepted")).body("deviceId", equalTo(deviceId));
            String correlationId = accepted.jsonPath().getString("correlationId");
            String location = accepted.header("Location");
            assertTrue(location.endsWith("/api/v1/commands/" + correlationId), location);
            Awaitility.await().atMost(WAIT).until(() -> device.received().size() == 1);
            assertEquals("fast", device.received().get(0).payload());
            assertEquals(0, device.received().get(0).qos());
            Awaitility.await()
                    .atMost(WAIT)
                    .untilAsserted(() -> operator()
                            .get(location)
                            .then()
                            .statusCode(200)
                            .body("status", equalTo("published"))
                            .body("correlationId", equalTo(correlationId)));
        }
    }

    @Test
    void restWaitWithoutResponseAnswers504AsProblemJson() {
        String deviceId = unique("silent");
        try (CommandDevice device = CommandDevice.start(SharedBrokers.mqtt(), deviceId, null)) {
            operator()
                    .body("x")
                    .queryParam("wait", "1")
                    .post("/api/v1/devices/{deviceId}/commands/ping", deviceId)
                    .then()
                    .statusCode(504)
                    .contentType("application/problem+json")
                    .body("status", equalTo(504))
                    .body("type", equalTo("urn:edge-bridge:problem:no-response"))
                    .body("correlationId", Matchers.notNullValue());
            Awaitility.await().atMost(WAIT).until(() -> device.received().size() == 1);
        }
    }

    /** Writes a record as another replica would, headers included; waits for Kafka's acknowledgement. */
    private static void writeAsAnotherReplica(String topic, String key, byte[] value, Map<String, String> headers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBrokers.kafka().bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("not written: " + e, e);
        }
    }

    private static void writeStatusAsAnotherReplica(StatusEvent event) {
        writeAsAnotherReplica(
                "device-command-status",
                event.deviceId(),
                event.toBytes(),
                Map.of(
                        "correlation-id", event.correlationId(),
                        "command-status", event.status().code(),
                        "bridge-replica", "edge-bridge-1-0a1b2c3d"));
    }

    /** What another replica did is known here through the status view: GET answers, and the status never goes back. */
    @Test
    void aCommandAnotherReplicaSentIsAnsweredByGetWithItsLatestStatus() {
        String deviceId = unique("boiler");
        Command command = new Command(
                unique("c"),
                deviceId,
                "heat",
                new byte[0],
                1,
                false,
                Instant.now().plusSeconds(30));
        writeStatusAsAnotherReplica(StatusEvent.accepted(command, Instant.now()));
        writeStatusAsAnotherReplica(StatusEvent.published(command, Instant.now()));
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> operator()
                        .get("/api/v1/commands/{id}", command.correlationId())
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("published"))
                        .body("deviceId", equalTo(deviceId)));
        writeStatusAsAnotherReplica(
                StatusEvent.responded(command.correlationId(), deviceId, "heat", command.expiresAt(), Instant.now()));
        writeStatusAsAnotherReplica(StatusEvent.accepted(command, Instant.now())); // a replay, read late
        String doneMarker = unique("c");
        writeStatusAsAnotherReplica(StatusEvent.accepted(
                new Command(doneMarker, deviceId, "heat", new byte[0], 1, false, command.expiresAt()), Instant.now()));
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> operator()
                        .get("/api/v1/commands/{id}", doneMarker)
                        .then()
                        .statusCode(200));
        operator()
                .get("/api/v1/commands/{id}", command.correlationId())
                .then()
                .statusCode(200)
                .body("status", equalTo("responded"));
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'command-status-view' }.data.state", equalTo("caught-up"));
    }

    /**
     * The device's answer reaches another replica (its MQTT session got it) and comes here only through Kafka: the
     * status view's response record wakes the caller waiting on this one.
     */
    @Test
    void aResponseAnotherReplicaForwardedAnswersTheCallerWaitingHere() {
        String deviceId = unique("kettle");
        try (CommandDevice device = CommandDevice.start(SharedBrokers.mqtt(), deviceId, c -> {
            // Off paho's callback thread; nothing on MQTT: this replica never hears the answer itself.
            CompletableFuture.runAsync(() -> writeAsAnotherReplica(
                    "device-command-responses",
                    deviceId,
                    ("{\"boiled\":\"" + c.correlationId() + "\"}").getBytes(StandardCharsets.UTF_8),
                    Map.of("correlation-id", c.correlationId(), "device-id", deviceId, "command-name", c.name())));
            return null;
        })) {
            Response response = operator()
                    .body("now")
                    .queryParam("wait", "PT10S")
                    .post("/api/v1/devices/{deviceId}/commands/boil", deviceId);
            response.then().statusCode(200).contentType("application/json");
            String correlationId = response.header("X-Correlation-Id");
            assertEquals("{\"boiled\":\"" + correlationId + "\"}", response.asString());
            assertEquals(1, device.received().size());
        }
    }

    @Test
    void unsafeIdsBadParametersAndOversizedPayloadsAreRefusedAsProblemJson() {
        for (String unsafe : List.of(
                "%2B", "%23", "a%2Fb", "%24SYS", "bad%00id", "tab%09id", "zero%E2%80%8Bwidth", "x".repeat(129))) {
            operator()
                    .urlEncodingEnabled(false)
                    .body("x")
                    .post("/api/v1/devices/" + unsafe + "/commands/reboot")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:edge-bridge:problem:invalid-deviceid"))
                    .body("status", equalTo(400))
                    .body("detail", startsWith("deviceId "));
        }
        operator()
                .urlEncodingEnabled(false)
                .body("x")
                .post("/api/v1/devices/dev-1/commands/%2B")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:edge-bridge:problem:invalid-name"));
        operator()
                .body("x")
                .queryParam("qos", "3")
                .post("/api/v1/devices/dev-1/commands/reboot")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("qos"));
        operator()
                .body("x")
                .queryParam("ttl", "PT48H")
                .post("/api/v1/devices/dev-1/commands/reboot")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("ttl"));
        operator()
                .body("x")
                .queryParam("wait", "soon")
                .post("/api/v1/devices/dev-1/commands/reboot")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("wait"));
        operator()
                .body(new byte[65537])
                .post("/api/v1/devices/dev-1/commands/upload")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("65536"));
        operator()
                .get("/api/v1/commands/{id}", "never-sent")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("correlationId", equalTo("never-sent"));
        operator().get("/api/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theOpenApiDocumentDescribesTheCommandApi() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths", Matchers.hasKey("/api/v1/devices/{deviceId}/commands/{name}"))
                .body("paths", Matchers.hasKey("/api/v1/commands/{correlationId}"));
    }

    /** The done-when load: 1,000 commands to 100 devices, in order per device, each ending with a status event. */
    @Test
    void aThousandCommandsToAHundredDevicesArriveInOrderOnTheirOwnTopicsAndEachEndsWithAStatus() {
        String run = unique("fleet");
        List<String> ids = IntStream.range(0, 100).mapToObj(i -> run + "-" + i).toList();
        List<CommandDevice> devices = new ArrayList<>();
        try {
            for (String id : ids) {
                devices.add(CommandDevice.start(SharedBrokers.mqtt(), id, c -> "ack " + c.payload()));
            }
            Instant start = Instant.now();
            for (int seq = 0; seq < 10; seq++) {
                for (String id : ids) {
                    commands.send(
                            id,
                            "{\"name\":\"set\",\"payload\":\"" + seq + "\",\"correlationId\":\"" + id + "-" + seq
                                    + "\"}");
                }
            }
            commands.flush();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> devices.stream().allMatch(d -> d.received().size() >= 10));
            System.out.printf(
                    "1,000 commands to 100 devices delivered in %d ms%n",
                    Duration.between(start, Instant.now()).toMillis());
            for (int d = 0; d < ids.size(); d++) {
                List<CommandDevice.Received> received = devices.get(d).received();
                assertEquals(10, received.size(), ids.get(d) + " gets exactly its 10 commands");
                for (int seq = 0; seq < 10; seq++) {
                    CommandDevice.Received command = received.get(seq);
                    assertEquals(Integer.toString(seq), command.payload(), ids.get(d) + " in order");
                    assertEquals("devices/" + ids.get(d) + "/commands/set/" + ids.get(d) + "-" + seq, command.topic());
                }
            }
            List<ConsumerRecord<String, byte[]>> ended = status.await(
                    r -> json(r).path("correlationId").asText().startsWith(run)
                            && json(r).path("status").asText().equals("responded"),
                    1000,
                    WAIT);
            assertEquals(1000, ended.size(), "every command ends with a 'responded' status event");
        } finally {
            devices.forEach(CommandDevice::close);
        }
    }
}
