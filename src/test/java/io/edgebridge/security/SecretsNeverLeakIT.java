package io.edgebridge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.SaslSslBrokers;
import io.edgebridge.testkit.SimulatedDevice;
import io.edgebridge.testkit.TestTokens;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Known secrets (MQTT password from a file and from an env var, the SCRAM password inside the JAAS line, a trust
 * store password) go through normal operation and every failure path we can provoke: none of them may appear in
 * the process's output (Kafka client logging raised to DEBUG, as when debugging a connection) or in any HTTP
 * answer (health with lastError, metrics, problem+json errors).
 */
class SecretsNeverLeakIT {

    static final Path WORK = Path.of("target", "secrets-it").toAbsolutePath();
    static final String USER = "edge-bridge";
    static final String TAG = Long.toHexString(System.nanoTime());
    static final String SCRAM_PASSWORD = "scram-secret-" + TAG;
    static final String TRUSTSTORE_PASSWORD = "truststore-secret-" + TAG;
    static final String WRONG_MQTT_PASSWORD = "wrong-mqtt-secret-" + TAG;
    static final String WRONG_SCRAM_PASSWORD = "wrong-scram-secret-" + TAG;
    static Path dir;
    static SaslSslBrokers brokers;
    static Path truststore;

    /** Every output and answer of this test; each is checked for every secret after each test. */
    final List<String> seen = new ArrayList<>();

    @BeforeAll
    static void brokers() {
        dir = WORK.resolve("run-" + TAG);
        brokers = SaslSslBrokers.start(dir, USER, SCRAM_PASSWORD);
        truststore = brokers.kafkaCa().trustStore(TRUSTSTORE_PASSWORD);
    }

    @AfterAll
    static void stopBrokers() {
        if (brokers != null) {
            brokers.close();
        }
    }

    /** The bridge as an operator would run it with Kafka debugging on: secrets in env vars and a file. */
    private Map<String, String> env(String clientId, String scramPassword) throws Exception {
        Map<String, String> env = brokers.bridgeEnvironment(clientId, USER, scramPassword);
        env.remove("BRIDGE_MQTT_PASSWORD");
        Path passwordFile = dir.resolve(clientId + "-mqtt-password");
        // As a mounted Secret written with echo would be: a trailing line break.
        Files.writeString(passwordFile, brokers.mqtt().password() + "\n");
        env.put("BRIDGE_MQTT_PASSWORD_FILE", passwordFile.toString());
        env.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
        env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", truststore.toString());
        env.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", TRUSTSTORE_PASSWORD);
        // Operators raise this when Kafka misbehaves: the clients' login, handshake and connection lines are included.
        // (Their "ProducerConfig values:" dumps are not: Quarkus's log cleanup filter removes them even at DEBUG.)
        env.put("QUARKUS_LOG_CATEGORY__ORG_APACHE_KAFKA__LEVEL", "DEBUG");
        return env;
    }

    private static BridgeProcess start(Map<String, String> env, String log) {
        return BridgeProcess.start(env, dir.resolve(log));
    }

    private HttpResponse<String> record(HttpResponse<String> response, String what) {
        assertNotNull(response, what + " got no answer");
        seen.add(
                what + " -> " + response.statusCode() + " " + response.headers().map() + "\n" + response.body());
        return response;
    }

    @AfterEach
    void noSecretAnywhere() {
        List<String> secrets = List.of(
                brokers.mqtt().password(),
                SCRAM_PASSWORD,
                TRUSTSTORE_PASSWORD,
                WRONG_MQTT_PASSWORD,
                WRONG_SCRAM_PASSWORD);
        assertTrue(seen.size() > 1, "outputs were collected");
        for (String text : seen) {
            for (String secret : secrets) {
                int at = text.indexOf(secret);
                if (at >= 0) {
                    throw new AssertionError(
                            "a secret leaked: ..." + text.substring(Math.max(0, at - 300), at) + "<SECRET>");
                }
            }
        }
    }

    @Test
    void normalOperationAndApiErrors() throws Exception {
        try (BridgeProcess bridge = start(env("edge-bridge-secrets", SCRAM_PASSWORD), "bridge-normal.log");
                KafkaTopicReader telemetry =
                        new KafkaTopicReader(brokers.kafka().bootstrapServers(), "device-telemetry")) {
            assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), bridge.output());
            try (SimulatedDevice device = SimulatedDevice.connect(brokers.mqtt(), "sensor-secrets")) {
                device.publish("devices/sensor-secrets/telemetry", "{\"t\":1}", 1);
            }
            assertEquals(
                    1,
                    telemetry
                            .await(r -> "sensor-secrets".equals(r.key()), 1, Duration.ofSeconds(30))
                            .size(),
                    "telemetry flows with the password from a file and a PKCS#12 trust store:\n" + bridge.output());
            String operator = TestTokens.shared().bearer("secrets-operator", "commands:write", "commands:read");
            assertEquals(
                    401,
                    record(
                                    bridge.post(
                                            "/api/v1/devices/sensor-secrets/commands/reboot", new byte[] {'1'}, null),
                                    "no token")
                            .statusCode());
            assertEquals(
                    401,
                    record(
                                    bridge.post(
                                            "/api/v1/devices/sensor-secrets/commands/reboot",
                                            new byte[] {'1'},
                                            "Bearer not-a-token"),
                                    "bad token")
                            .statusCode());
            assertEquals(
                    202,
                    record(
                                    bridge.post(
                                            "/api/v1/devices/sensor-secrets/commands/reboot",
                                            new byte[] {'1'},
                                            operator),
                                    "accepted command")
                            .statusCode());
            assertEquals(
                    400,
                    record(
                                    bridge.post("/api/v1/devices/a+b/commands/reboot", new byte[0], operator),
                                    "unsafe device id")
                            .statusCode());
            assertEquals(
                    400,
                    record(
                                    bridge.post(
                                            "/api/v1/devices/sensor-secrets/commands/reboot?qos=7",
                                            new byte[0],
                                            operator),
                                    "bad qos")
                            .statusCode());
            assertEquals(
                    413,
                    record(
                                    bridge.post(
                                            "/api/v1/devices/sensor-secrets/commands/reboot",
                                            new byte[70_000],
                                            operator),
                                    "oversized payload")
                            .statusCode());
            assertEquals(
                    404,
                    record(bridge.get("/api/v1/commands/no-such-command", operator), "unknown command")
                            .statusCode());
            assertEquals(
                    404, record(bridge.get("/no/such/path"), "unknown path").statusCode());
            assertEquals(200, record(bridge.get("/q/health/ready"), "readiness").statusCode());
            assertEquals(200, record(bridge.get("/q/metrics"), "metrics").statusCode());
            seen.add(bridge.output());
            assertTrue(
                    bridge.output().contains(" DEBUG [org.apache.kafka."),
                    "the Kafka clients' debug lines are in the output, so this test reads them");
        }
    }

    @Test
    void wrongPasswordsOnBothSides() throws Exception {
        Map<String, String> env = env("edge-bridge-secrets-wrong", WRONG_SCRAM_PASSWORD);
        env.remove("BRIDGE_MQTT_PASSWORD_FILE");
        env.put("BRIDGE_MQTT_PASSWORD", WRONG_MQTT_PASSWORD);
        try (BridgeProcess bridge = start(env, "bridge-wrong.log")) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                HttpResponse<String> ready = bridge.get("/q/health/ready");
                if (ready == null) {
                    return false;
                }
                JsonNode kafkaCheck = KafkaSaslTlsIT.check(ready, "kafka-broker");
                JsonNode mqttCheck = KafkaSaslTlsIT.check(ready, "mqtt-broker");
                return kafkaCheck.at("/data/lastError").asText().contains("Authentication failed")
                        && mqttCheck.at("/data/lastError").asText().contains("not authorized");
            });
            System.out.printf(
                    "both passwords wrong: %s%n",
                    bridge.get("/q/health/ready").body().replaceAll("\\s+", " "));
            record(bridge.get("/q/health/ready"), "readiness, both refused");
            record(bridge.get("/q/health"), "health, both refused");
            record(bridge.get("/q/metrics"), "metrics, both refused");
            seen.add(bridge.output());
        }
    }

    @Test
    void badFilePathsStopStartupWithoutSecrets() throws Exception {
        Map<String, String> env = env("edge-bridge-secrets-no-truststore", SCRAM_PASSWORD);
        env.put(
                "KAFKA_SSL_TRUSTSTORE_LOCATION",
                dir.resolve("missing-truststore.p12").toString());
        String noTruststore = run(env, "bridge-no-truststore.log");
        assertTrue(
                noTruststore.contains("Failed to load SSL keystore " + dir.resolve("missing-truststore.p12")),
                noTruststore);
        seen.add(noTruststore);

        env = env("edge-bridge-secrets-no-password-file", SCRAM_PASSWORD);
        env.put("BRIDGE_MQTT_PASSWORD_FILE", dir.resolve("missing-password").toString());
        String output = run(env, "bridge-no-password-file.log");
        assertTrue(output.contains("bridge.mqtt.password-file"), output);
        seen.add(output);

        env = env("edge-bridge-secrets-no-client-key", SCRAM_PASSWORD);
        env.put(
                "BRIDGE_MQTT_TLS_CERT_FILE",
                brokers.mqtt().certificates().clientCert.toString());
        env.put("BRIDGE_MQTT_TLS_KEY_FILE", dir.resolve("missing-key.pem").toString());
        output = run(env, "bridge-no-client-key.log");
        assertTrue(output.contains("bridge.mqtt.tls.key-file"), output);
        seen.add(output);
    }

    /** Runs the bridge until it exits or is ready, then returns everything it printed. */
    private static String run(Map<String, String> env, String log) {
        try (BridgeProcess bridge = start(env, log)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                HttpResponse<String> ready = bridge.process().isAlive() ? bridge.get("/q/health/ready") : null;
                return !bridge.process().isAlive()
                        || (ready != null
                                && !KafkaSaslTlsIT.check(ready, "kafka-broker")
                                        .at("/data/lastError")
                                        .isMissingNode());
            });
            System.out.printf(
                    "%s: exited=%s%n%s%n",
                    log,
                    !bridge.process().isAlive(),
                    bridge.output()
                            .lines()
                            .filter(l -> l.contains("ERROR"))
                            .limit(3)
                            .toList());
            return bridge.output();
        }
    }
}
