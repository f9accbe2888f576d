package io.edgebridge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.CommandDevice;
import io.edgebridge.testkit.KafkaCommandWriter;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.Metrics;
import io.edgebridge.testkit.SaslSslBrokers;
import io.edgebridge.testkit.SimulatedDevice;
import io.edgebridge.testkit.TestTokens;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka over TLS + SASL/SCRAM-SHA-512 against a real broker listener: the packaged bridge, configured with the
 * env vars the Helm chart sets, forwards telemetry and delivers commands through it; a wrong password keeps it
 * unready with the reason and loses nothing; a plaintext client is refused by that listener.
 */
class KafkaSaslTlsIT {

    static final Path WORK = Path.of("target", "kafka-sasl-it").toAbsolutePath();
    static final String USER = "edge-bridge";
    static final String PASSWORD = "scram-" + Long.toHexString(System.nanoTime());
    static final ObjectMapper JSON = new ObjectMapper();
    static SaslSslBrokers brokers;

    @BeforeAll
    static void brokers() {
        brokers = SaslSslBrokers.start(WORK.resolve("run-" + System.nanoTime()), USER, PASSWORD);
    }

    @AfterAll
    static void stopBrokers() {
        if (brokers != null) {
            brokers.close();
        }
    }

    private static Map<String, String> env(String clientId, String password) {
        return brokers.bridgeEnvironment(clientId, USER, password);
    }

    @Test
    void telemetryAndCommandsFlowOverSaslSsl() {
        String device = "sensor-sasl";
        String plaintext = brokers.kafka().bootstrapServers();
        try (BridgeProcess bridge = BridgeProcess.start(env("edge-bridge-sasl", PASSWORD), WORK.resolve("bridge.log"));
                KafkaTopicReader telemetry = new KafkaTopicReader(plaintext, "device-telemetry");
                KafkaTopicReader status = new KafkaTopicReader(plaintext, "device-command-status");
                KafkaCommandWriter commands = new KafkaCommandWriter(plaintext, "device-commands");
                CommandDevice commandDevice = CommandDevice.start(brokers.mqtt(), device, null)) {
            assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), "ready over SASL_SSL:\n" + bridge.output());
            HttpResponse<String> ready = bridge.get("/q/health/ready");
            assertTrue(ready.body().contains(brokers.kafka().saslSslBootstrapServers()), ready.body());

            // Telemetry: the telemetry producer authenticated on the SASL_SSL listener.
            try (SimulatedDevice sensor = SimulatedDevice.connect(brokers.mqtt(), device + "-telemetry")) {
                sensor.publish("devices/" + device + "/telemetry", "{\"t\":21.5}", 1);
            }
            List<ConsumerRecord<String, byte[]>> events =
                    telemetry.await(r -> device.equals(r.key()), 1, Duration.ofSeconds(30));
            assertEquals(1, events.size(), "telemetry reached Kafka over SASL_SSL:\n" + bridge.output());

            // Commands: the consumer read it over SASL_SSL, the status producer wrote its events there too.
            commands.write(device, "{\"name\":\"reboot\",\"payload\":\"now\",\"correlationId\":\"c-sasl\"}");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !commandDevice.received().isEmpty());
            assertEquals("c-sasl", commandDevice.received().get(0).correlationId());
            List<ConsumerRecord<String, byte[]>> published =
                    status.await(r -> KafkaTopicReader.value(r).contains("\"published\""), 1, Duration.ofSeconds(30));
            assertEquals(1, published.size(), "published status event in Kafka:\n" + bridge.output());
            System.out.printf(
                    "over SASL_SSL: telemetry=%d command=%s status=%s%n",
                    events.size(), commandDevice.received().get(0).topic(), KafkaTopicReader.value(published.get(0)));
            assertFalse(bridge.output().contains(PASSWORD), "no SCRAM password in the log");
        }
    }

    @Test
    void aWrongPasswordKeepsTheBridgeUnreadyAndLosesNothing() {
        String device = "sensor-wrong-password";
        String clientId = "edge-bridge-wrong-scram";
        String wrong = "not-" + PASSWORD;
        try (KafkaTopicReader telemetry =
                new KafkaTopicReader(brokers.kafka().bootstrapServers(), "device-telemetry")) {
            try (BridgeProcess bridge = BridgeProcess.start(env(clientId, wrong), WORK.resolve("bridge-wrong.log"))) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                    HttpResponse<String> ready = bridge.get("/q/health/ready");
                    return ready != null
                            && "UP"
                                    .equals(check(ready, "mqtt-broker")
                                            .path("status")
                                            .asText());
                });
                // MQTT is up, so the message is taken from the broker; Kafka refuses the bridge, so no PUBACK.
                try (SimulatedDevice sensor = SimulatedDevice.connect(brokers.mqtt(), device)) {
                    sensor.publish("devices/" + device + "/telemetry", "{\"kept\":true}", 1);
                }
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    HttpResponse<String> ready = bridge.get("/q/health/ready");
                    JsonNode check = ready == null ? null : check(ready, "kafka-broker");
                    return check != null
                            && ready.statusCode() == 503
                            && "DOWN".equals(check.path("status").asText())
                            && check.at("/data/lastError").asText().contains("Authentication failed");
                });
                String body = bridge.get("/q/health/ready").body();
                System.out.printf("wrong SCRAM password: %s%n", body.replaceAll("\\s+", " "));
                assertFalse(body.contains(wrong), "no password in the health answer");
                assertFalse(bridge.output().contains(wrong), "no password in the log:\n" + bridge.output());
                assertTrue(
                        telemetry
                                .await(r -> device.equals(r.key()), 1, Duration.ofSeconds(3))
                                .isEmpty(),
                        "nothing can reach Kafka with a wrong password");
                // The Kafka sink keeps retrying; meanwhile the message is held in flight, not acknowledged to MQTT.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> metric(bridge, "edgebridge_telemetry_in_flight") == 1);
                // A REST command cannot be confirmed either: a bounded 503, not a request hanging on.
                HttpResponse<String> refused = bridge.post(
                        "/api/v1/devices/" + device + "/commands/reboot?ttl=PT5S",
                        new byte[] {'1'},
                        TestTokens.shared().bearer("operator", "commands:write"));
                assertEquals(503, refused == null ? -1 : refused.statusCode(), () -> bridge.lastFailure());
                assertTrue(refused.body().contains("kafka-write-timeout"), refused.body());
            }
            // The same session with the right password: Mosquitto still holds the unacknowledged message.
            try (BridgeProcess bridge =
                    BridgeProcess.start(env(clientId, PASSWORD), WORK.resolve("bridge-fixed.log"))) {
                assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), bridge.output());
                List<ConsumerRecord<String, byte[]>> events =
                        telemetry.await(r -> device.equals(r.key()), 1, Duration.ofSeconds(30));
                assertEquals(
                        1, events.size(), "the message refused meanwhile arrives after the fix:\n" + bridge.output());
            }
        }
    }

    @Test
    void thePlaintextProtocolIsRefusedOnTheSaslSslListener() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.kafka().saslSslBootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(props)) {
            ExecutionException refused = assertThrows(
                    ExecutionException.class,
                    () -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000))
                            .clusterId()
                            .get());
            System.out.printf("plaintext client on the SASL_SSL port: %s%n", refused.getCause());
        }
        // The same listener with the right credentials answers, so the refusal above is the protocol's.
        props.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        props.put("sasl.mechanism", "SCRAM-SHA-512");
        props.put("sasl.jaas.config", BridgeProcess.scramJaasConfig(USER, PASSWORD));
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", brokers.kafkaCa().caCert.toString());
        try (Admin admin = Admin.create(props)) {
            assertFalse(assertDoesNotThrowGet(admin).isEmpty());
        }
    }

    /** The value of an unlabelled series on {@code /q/metrics} (0 when absent). */
    private static double metric(BridgeProcess bridge, String name) {
        HttpResponse<String> metrics = bridge.get("/q/metrics");
        return metrics == null ? 0 : Metrics.sum(metrics.body(), name);
    }

    /** One named check of a {@code /q/health/ready} answer (a missing node when absent). */
    static JsonNode check(HttpResponse<String> ready, String name) {
        try {
            for (JsonNode check : JSON.readTree(ready.body()).path("checks")) {
                if (name.equals(check.path("name").asText())) {
                    return check;
                }
            }
            return JSON.missingNode();
        } catch (IOException e) {
            throw new AssertionError("readiness is not JSON: " + ready.body(), e);
        }
    }

    private static String assertDoesNotThrowGet(Admin admin) {
        try {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs(10000))
                    .clusterId()
                    .get();
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("a SASL_SSL client with the right password is refused: " + e, e);
        }
    }
}
