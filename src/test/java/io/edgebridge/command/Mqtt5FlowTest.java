package io.edgebridge.command;

import static io.edgebridge.testkit.KafkaTopicReader.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.KafkaCommandWriter;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.Mqtt5Device;
import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.SharedBrokers;
import io.edgebridge.testkit.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MQTT 5 devices (paho v5) through a real Mosquitto. Telemetry: the device's content type and properties arrive as
 * the documented headers, user properties only as the rule allows. Commands: response topic, correlation data,
 * message expiry, content type and forwarded headers on the publish; the device's answer matched by its correlation
 * data; the broker dropping a command that expired before its device came back.
 */
@QuarkusTest
@TestProfile(Mqtt5FlowTest.Mqtt5Profile.class)
class Mqtt5FlowTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String OPERATOR = TestTokens.shared().bearer("test-operator", "commands:write", "commands:read");

    public static class Mqtt5Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    RealBrokersResource.class,
                    Map.of(
                            "bridge.mqtt.client-id", "edge-bridge-mqtt5",
                            "bridge.mqtt.protocol", "5",
                            "bridge.commands.forward-headers", "trace-id",
                            "bridge.rules-file",
                                    RealBrokersResource.write("mqtt5-rules.yaml", RULES)
                                            .toString())));
        }
    }

    static final String TOPIC = "mqtt5-telemetry";
    static final String RULES = """
            rules:
              - name: v5
                mqtt-topic: devices/{deviceId}/v5
                kafka-topic: %s
                format: json
                user-properties:
                  allow: [trace-id]
                  max-count: 4
            """.formatted(TOPIC);

    @BeforeEach
    void ready() {
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aDevicesPropertiesArriveAsTheDocumentedHeadersAndUserPropertiesOnlyAsTheRuleAllows() throws Exception {
        String id = unique("props");
        try (Mqtt5Device device = Mqtt5Device.connect(SharedBrokers.mqtt(), id, Duration.ZERO);
                KafkaTopicReader kafka =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), TOPIC)) {
            MqttProperties properties = new MqttProperties();
            properties.setContentType("application/vnd.reading+json");
            properties.setResponseTopic("devices/" + id + "/replies");
            List<UserProperty> users =
                    new ArrayList<>(List.of(new UserProperty("trace-id", "t-9"), new UserProperty("secret", "s")));
            // A hostile device: a thousand more of the allowed name, each past the first four left out.
            IntStream.range(0, 1000).forEach(i -> users.add(new UserProperty("trace-id", "flood-" + i)));
            properties.setUserProperties(users);
            device.publish("devices/" + id + "/v5", "{\"t\":21.5}".getBytes(StandardCharsets.UTF_8), 1, properties);
            ConsumerRecord<String, byte[]> record =
                    kafka.await(r -> id.equals(r.key()), 1, WAIT).get(0);
            assertEquals("application/vnd.reading+json", KafkaTopicReader.header(record, "content-type"));
            assertEquals("devices/" + id + "/replies", KafkaTopicReader.header(record, "ce_mqttresponsetopic"));
            List<String> traces = new ArrayList<>();
            record.headers()
                    .headers("mqtt-trace-id")
                    .forEach(h -> traces.add(new String(h.value(), StandardCharsets.UTF_8)));
            assertEquals(List.of("t-9", "flood-0", "flood-1", "flood-2"), traces, "in order, at most max-count");
            assertNull(record.headers().lastHeader("mqtt-secret"), "not on the allow-list");
        }
    }

    @Test
    void aRestCommandCarriesRequestResponseAndTheDevicesAnswerComesBackToTheWaitingCaller() throws Exception {
        String id = unique("v5");
        try (Mqtt5Device device = Mqtt5Device.connect(SharedBrokers.mqtt(), id, Duration.ZERO)
                .takeCommands(command -> "{\"ok\":true,\"got\":" + command.payload() + "}")) {
            String body = given().header("Authorization", OPERATOR)
                    .contentType("application/json")
                    .body("{\"times\":2}")
                    .post("/api/v1/devices/" + id + "/commands/blink?wait=PT10S&ttl=PT30S")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertEquals("{\"ok\":true,\"got\":{\"times\":2}}", body);
            Mqtt5Device.Received command = device.next(WAIT);
            assertNotNull(command);
            MqttProperties p = command.properties();
            assertEquals("devices/" + id + "/commands/blink/response/" + command.correlationId(), p.getResponseTopic());
            assertTrue(command.topic().endsWith("/" + command.correlationId()), command.topic());
            assertEquals("application/json", p.getContentType());
            long expiry = p.getMessageExpiryInterval();
            assertTrue(expiry > 0 && expiry <= 30, "the command's remaining lifetime: " + expiry);
        }
    }

    @Test
    void aKafkaCommandForwardsAllowedHeadersAndTheAnswerIsMatchedByItsCorrelationData() throws Exception {
        String id = unique("v5k");
        String correlationId = unique("cid");
        try (Mqtt5Device device = Mqtt5Device.connect(SharedBrokers.mqtt(), id, Duration.ZERO);
                KafkaCommandWriter commands =
                        new KafkaCommandWriter(SharedBrokers.kafka().bootstrapServers(), "device-commands");
                KafkaTopicReader status =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), "device-command-status")) {
            device.takeCommands(null);
            commands.write(
                    id,
                    "{\"name\":\"read\",\"payload\":\"x\",\"correlationId\":\"" + correlationId + "\"}",
                    Map.of("trace-id", "t-42", "secret", "s3cret", "content-type", "text/plain"));
            Mqtt5Device.Received command = device.next(WAIT);
            assertNotNull(command);
            assertEquals("t-42", command.userProperty("trace-id"));
            assertNull(command.userProperty("secret"), "only bridge.commands.forward-headers");
            assertEquals("text/plain", command.properties().getContentType());
            assertArrayEquals(
                    correlationId.getBytes(StandardCharsets.UTF_8),
                    command.properties().getCorrelationData());
            // Answered on the response topic, but its correlation level says something else: the data decides.
            MqttProperties answer = new MqttProperties();
            answer.setCorrelationData(command.properties().getCorrelationData());
            device.publish(
                    "devices/" + id + "/commands/read/response/not-the-id",
                    "{\"v\":1}".getBytes(StandardCharsets.UTF_8),
                    1,
                    answer);
            status.await(
                    r -> json(r).path("correlationId").asText().equals(correlationId)
                            && json(r).path("status").asText().equals("responded"),
                    1,
                    WAIT);
            given().header("Authorization", OPERATOR)
                    .get("/api/v1/commands/" + correlationId)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("responded"));
        }
    }

    @Test
    void aCommandThatExpiredWhileItsDeviceWasAwayNeverReachesIt() throws Exception {
        String id = unique("late");
        String expiring = unique("short");
        String lasting = unique("long");
        try (Mqtt5Device device = Mqtt5Device.connect(SharedBrokers.mqtt(), id, Duration.ofMinutes(5));
                KafkaCommandWriter commands =
                        new KafkaCommandWriter(SharedBrokers.kafka().bootstrapServers(), "device-commands");
                KafkaTopicReader status =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), "device-command-status")) {
            device.takeCommands(null);
            device.disconnect(); // the broker keeps the session and queues what arrives for it
            commands.write(id, "{\"name\":\"a\",\"correlationId\":\"" + expiring + "\",\"ttlSeconds\":2}");
            commands.write(id, "{\"name\":\"b\",\"correlationId\":\"" + lasting + "\",\"ttlSeconds\":120}");
            for (String correlationId : List.of(expiring, lasting)) {
                status.await(
                        r -> json(r).path("correlationId").asText().equals(correlationId)
                                && json(r).path("status").asText().equals("published"),
                        1,
                        WAIT);
            }
            Thread.sleep(3500); // the first command's message expiry passes while the device is away
            device.reconnect();
            Mqtt5Device.Received first = device.next(WAIT);
            assertNotNull(first, "the command that had not expired arrives");
            assertEquals(lasting, first.correlationId());
            assertNull(device.next(Duration.ofSeconds(2)), "the expired one was dropped by the broker");
        }
    }
}
