package io.edgebridge.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.KafkaBroker;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.TestCertificates;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQTT side of the security promise, against a real Mosquitto that requires client certificates (mutual TLS)
 * and passwords: the packaged bridge connects with its certificate and key, is refused without them, and refuses
 * a broker whose certificate comes from a CA it was not told to trust. Each refusal is visible in readiness.
 */
class MqttTlsIT {

    static final Path WORK = Path.of("target", "mqtt-tls-it").toAbsolutePath();
    static MosquittoBroker mqtt;
    static KafkaBroker kafka;

    @BeforeAll
    static void brokers() {
        mqtt = MosquittoBroker.start(WORK.resolve("mosquitto-" + System.nanoTime()), 100, true);
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopBrokers() {
        if (mqtt != null) {
            mqtt.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Map<String, String> env(String clientId) {
        return BridgeProcess.environment(mqtt, kafka.bootstrapServers(), clientId);
    }

    /** Readiness stays DOWN and the mqtt-broker check's lastError matches {@code reason}. */
    private static void assertRefused(BridgeProcess bridge, String reason) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> ready = bridge.get("/q/health/ready");
            return ready != null
                    && ready.statusCode() == 503
                    && ready.body().matches("(?s).*\"lastError\": \"[^\"]*(" + reason + ")[^\"]*\".*");
        });
        HttpResponse<String> ready = bridge.get("/q/health/ready");
        System.out.printf("refused as expected: %s%n", ready.body().replaceAll("\\s+", " "));
        assertFalse(bridge.output().contains(mqtt.password()), "no password in the log");
    }

    @Test
    void mutualTlsWithTheClientCertificateConnects() {
        Map<String, String> env = env("edge-bridge-mtls");
        env.put("BRIDGE_MQTT_TLS_CERT_FILE", mqtt.certificates().clientCert.toString());
        env.put("BRIDGE_MQTT_TLS_KEY_FILE", mqtt.certificates().clientKey.toString());
        try (BridgeProcess bridge = BridgeProcess.start(env, WORK.resolve("bridge-mtls.log"))) {
            assertTrue(
                    bridge.awaitReady(Duration.ofSeconds(60)),
                    "bridge ready with its client certificate:\n" + bridge.output());
        }
    }

    @Test
    void withoutAClientCertificateTheBrokerRefusesTheBridge() {
        try (BridgeProcess bridge =
                BridgeProcess.start(env("edge-bridge-no-cert"), WORK.resolve("bridge-no-cert.log"))) {
            assertRefused(bridge, "bridge.mqtt.tls.cert-file");
        }
    }

    /** TLS is the default: a plain listener gets no connection; only an explicit opt-out talks plain TCP, warned. */
    @Test
    void plainTcpIsRefusedByDefaultAndOnlyAnExplicitOptOutUsesItWithAWarning() {
        Map<String, String> env = env("edge-bridge-plain-default");
        env.put("BRIDGE_MQTT_PORT", Integer.toString(mqtt.plainPort()));
        try (BridgeProcess bridge = BridgeProcess.start(env, WORK.resolve("bridge-plain-default.log"))) {
            assertRefused(bridge, "TLS|SSL|handshake|closed");
        }
        env = env("edge-bridge-plain-explicit");
        env.put("BRIDGE_MQTT_PORT", Integer.toString(mqtt.plainPort()));
        env.put("BRIDGE_MQTT_TLS_ENABLED", "false");
        try (BridgeProcess bridge = BridgeProcess.start(env, WORK.resolve("bridge-plain-explicit.log"))) {
            assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), bridge.output());
            assertTrue(
                    bridge.output()
                            .contains("over plain TCP (bridge.mqtt.tls.enabled=false): credentials and"
                                    + " telemetry travel unencrypted"),
                    bridge.output());
        }
    }

    @Test
    void aBrokerCertificateFromAnUnknownCaIsRefused() {
        TestCertificates stranger =
                TestCertificates.create(WORK.resolve("other-ca-" + System.nanoTime()), "some other CA");
        Map<String, String> env = env("edge-bridge-unknown-ca");
        env.put("BRIDGE_MQTT_TLS_CA_FILE", stranger.caCert.toString());
        env.put("BRIDGE_MQTT_TLS_CERT_FILE", mqtt.certificates().clientCert.toString());
        env.put("BRIDGE_MQTT_TLS_KEY_FILE", mqtt.certificates().clientKey.toString());
        try (BridgeProcess bridge = BridgeProcess.start(env, WORK.resolve("bridge-unknown-ca.log"))) {
            assertRefused(bridge, "TLS handshake failed");
        }
    }

    /**
     * cert-manager rotates files in place: the running bridge picks up a new CA on its next attempt, and a new
     * client certificate on a live connection within bridge.mqtt.tls.reload-interval, without a restart. Rotating
     * to a certificate the broker refuses proves the live connection really switched; rotating back heals it.
     */
    @Test
    void rotatedTlsFilesTakeEffectWithoutARestart() throws IOException {
        TestCertificates stranger =
                TestCertificates.create(WORK.resolve("rotation-ca-" + System.nanoTime()), "rotated-out CA");
        Path files = Files.createDirectories(WORK.resolve("rotating-" + System.nanoTime()));
        Path ca = files.resolve("ca.crt");
        Path cert = files.resolve("tls.crt");
        Path key = files.resolve("tls.key");
        install(stranger.caCert, ca);
        install(mqtt.certificates().clientCert, cert);
        install(mqtt.certificates().clientKey, key);
        Map<String, String> env = env("edge-bridge-rotation");
        env.put("BRIDGE_MQTT_TLS_CA_FILE", ca.toString());
        env.put("BRIDGE_MQTT_TLS_CERT_FILE", cert.toString());
        env.put("BRIDGE_MQTT_TLS_KEY_FILE", key.toString());
        env.put("BRIDGE_MQTT_TLS_RELOAD_INTERVAL", "1s");
        env.put("BRIDGE_MQTT_RECONNECT_MAX_BACKOFF", "2s");
        try (BridgeProcess bridge = BridgeProcess.start(env, WORK.resolve("bridge-rotation.log"))) {
            long pid = bridge.process().pid();
            assertRefused(bridge, "TLS handshake failed");

            install(mqtt.certificates().caCert, ca);
            assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), "ready with the new CA:\n" + bridge.output());

            install(stranger.clientCert, cert);
            install(stranger.clientKey, key);
            assertRefused(bridge, "bad certificate|certificate_unknown|unknown_ca|closed|refused|Connection reset");
            assertTrue(bridge.output().contains("MQTT TLS files changed"), bridge.output());

            install(mqtt.certificates().clientCert, cert);
            install(mqtt.certificates().clientKey, key);
            assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), "ready again:\n" + bridge.output());
            assertTrue(bridge.process().isAlive() && bridge.process().pid() == pid, "the same process throughout");
        }
    }

    /** As Kubernetes updates a mounted Secret: the new content appears at once, never half-written. */
    private static void install(Path from, Path to) throws IOException {
        Path next = to.resolveSibling(to.getFileName() + ".next");
        Files.copy(from, next, StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
