package io.edgebridge.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.Ports;
import io.edgebridge.testkit.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose example's broker for real: {@code deploy/certs/make-certs.sh} makes the CA, the broker
 * certificate and the password file, and Debian's Mosquitto runs {@code deploy/mosquitto/mosquitto.conf}
 * with only its port, file locations and process user changed for a test on 127.0.0.1.
 */
class ComposeMosquittoTest {

    private static final Path SCRIPT = Path.of("deploy", "certs", "make-certs.sh");
    private static final Path CONFIG_DIR = Path.of("deploy", "mosquitto");

    @TempDir
    static Path dir;

    private static Path certs;
    private static Map<String, String> bridgeEnv;
    private static int port;
    private static Process mosquitto;

    @BeforeAll
    static void makeCertificatesAndStartMosquitto() throws Exception {
        certs = dir.resolve("certs");
        String output = makeCerts(Map.of("CLIENT_CERT", "1"));
        assertTrue(output.contains("files in " + certs), output);
        bridgeEnv = envFile(certs.resolve("bridge.env"));

        port = Ports.free();
        Path data = Files.createDirectories(dir.resolve("data"));
        String config = Files.readString(CONFIG_DIR.resolve("mosquitto.conf"))
                        .replace("/mosquitto/certs/", certs.toAbsolutePath() + "/")
                        .replace("/mosquitto/config/", CONFIG_DIR.toAbsolutePath() + "/")
                        .replace("/mosquitto/data/", data.toAbsolutePath() + "/")
                        .replace("\nlistener 8883\n", "\nlistener " + port + " 127.0.0.1\n")
                // The container starts it as root and it drops to its own user; here it stays the test's user.
                + "user " + System.getProperty("user.name") + "\n";
        assertTrue(config.contains("listener " + port + " 127.0.0.1"), config);
        assertTrue(config.lines().filter(l -> !l.startsWith("#")).noneMatch(l -> l.contains(" /mosquitto/")), config);
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, config);

        mosquitto = new ProcessBuilder(mosquittoBinary(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.out").toFile())
                .start();
        assertTrue(
                Ports.waitForListener(port, Duration.ofSeconds(10)),
                () -> "mosquitto did not listen: " + read(dir.resolve("mosquitto.out")));
    }

    @AfterAll
    static void stopMosquitto() {
        Processes.stop(mosquitto, Duration.ofSeconds(10));
    }

    @Test
    void bridgeWithVerifiedBrokerNameAndPasswordConnectsAndGetsTelemetry() throws Exception {
        assertEquals("bridge", bridgeEnv.get("BRIDGE_MQTT_USERNAME"));
        MqttClient client = client("localhost", "ssl");
        try {
            client.connect(options(bridgeEnv.get("BRIDGE_MQTT_USERNAME"), bridgeEnv.get("BRIDGE_MQTT_PASSWORD")));
            CompletableFuture<String> received = new CompletableFuture<>();
            client.subscribe(
                    "devices/+/telemetry",
                    1,
                    (topic, message) ->
                            received.complete(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
            MqttMessage message = new MqttMessage("{\"t\":21.5}".getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            client.publish("devices/sensor-01/telemetry", message);

            assertEquals("devices/sensor-01/telemetry {\"t\":21.5}", received.get(10, TimeUnit.SECONDS));
        } finally {
            close(client);
        }
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        MqttClient client = client("localhost", "ssl");
        MqttSecurityException refused = assertThrows(
                MqttSecurityException.class,
                () -> client.connect(options("bridge", "not-" + bridgeEnv.get("BRIDGE_MQTT_PASSWORD"))));
        assertTrue(
                refused.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                        || refused.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED,
                refused::toString);
        client.close();
    }

    @Test
    void clientWithoutCredentialsIsRefused() throws Exception {
        MqttClient client = client("localhost", "ssl");
        MqttSecurityException refused =
                assertThrows(MqttSecurityException.class, () -> client.connect(options(null, null)));
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refused.getReasonCode(), refused::toString);
        client.close();
    }

    @Test
    void plainTcpIsRefused() throws Exception {
        MqttClient client = client("localhost", "tcp");
        MqttConnectOptions options =
                options(bridgeEnv.get("BRIDGE_MQTT_USERNAME"), bridgeEnv.get("BRIDGE_MQTT_PASSWORD"));
        options.setSocketFactory(null);
        assertThrows(MqttException.class, () -> client.connect(options));
        assertTrue(!client.isConnected());
        client.close();
    }

    @Test
    void brokerNameNotInTheCertificateIsRefused() throws Exception {
        // The certificate names mosquitto and localhost, not 127.0.0.1: this proves the client really checks.
        MqttClient client = client("127.0.0.1", "ssl");
        MqttException refused = assertThrows(
                MqttException.class,
                () -> client.connect(
                        options(bridgeEnv.get("BRIDGE_MQTT_USERNAME"), bridgeEnv.get("BRIDGE_MQTT_PASSWORD"))));
        assertInstanceOf(SSLHandshakeException.class, refused.getCause(), refused::toString);
        client.close();
    }

    @Test
    void secondRunKeepsEveryFileAndClientCertificateIsSignedByTheCa() throws Exception {
        Map<String, byte[]> before = contents(certs);

        String output = makeCerts(Map.of("CLIENT_CERT", "1"));

        assertTrue(output.contains("kept:") && !output.contains("made:"), output);
        Map<String, byte[]> after = contents(certs);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
        X509Certificate ca = certificate(certs.resolve("ca.crt"));
        X509Certificate client = certificate(certs.resolve("client.crt"));
        client.verify(ca.getPublicKey());
        assertTrue(client.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "clientAuth");
        assertEquals(
                List.of(
                                "ca.crt",
                                "ca.key",
                                "bridge.env",
                                "broker.crt",
                                "broker.key",
                                "client.crt",
                                "client.key",
                                "passwd",
                                "jwt-private.pem",
                                "jwt-public.pem",
                                "operator.jwt")
                        .stream()
                        .sorted()
                        .toList(),
                after.keySet().stream().sorted().toList());
    }

    /** The token make-certs.sh signs verifies against the public key compose mounts, with the issuer it sets. */
    @Test
    void operatorTokenVerifiesWithThePublicKeyAndCarriesBothRoles() throws Exception {
        String token = Files.readString(certs.resolve("operator.jwt")).trim();
        PublicKey key = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder()
                        .decode(Files.readString(certs.resolve("jwt-public.pem"))
                                .replaceAll("-----[A-Z ]+-----", ""))));
        String compose = Files.readString(Path.of("deploy", "compose.yaml"));
        String issuer = compose.replaceAll("(?s).*MP_JWT_VERIFY_ISSUER: (\\S+).*", "$1");
        JwtConsumer verifier = new JwtConsumerBuilder()
                .setVerificationKey(key)
                .setExpectedIssuer(issuer)
                .setRequireExpirationTime()
                .build();

        JwtClaims claims = verifier.processToClaims(token);

        assertEquals("compose-operator", claims.getSubject());
        assertEquals(List.of("commands:write", "commands:read"), claims.getStringListClaimValue("groups"));
        assertTrue(
                compose.contains("jwt-public.pem:/etc/edge-bridge/certs/jwt-public.pem:ro"), "mounted for the bridge");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertThrows(InvalidJwtException.class, () -> verifier.processToClaims(forged));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static String makeCerts(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder("bash", SCRIPT.toString(), certs.toString()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static MqttClient client(String host, String scheme) throws MqttException {
        return new MqttClient(
                scheme + "://" + host + ":" + port, "compose-test-" + System.nanoTime(), new MemoryPersistence());
    }

    /** TLS trusting only the generated CA, the broker's name verified, as the bridge connects. */
    private static MqttConnectOptions options(String username, String password) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate(certs.resolve("ca.crt")));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);

        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(context.getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(true);
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        if (username != null) {
            options.setUserName(username);
            options.setPassword(password.toCharArray());
        }
        return options;
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    private static Map<String, byte[]> contents(Path directory) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (var list = Files.list(directory)) {
            for (Path file : list.sorted().toList()) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static void close(MqttClient client) throws MqttException {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close();
    }

    private static String mosquittoBinary() {
        List<String> candidates = new ArrayList<>(List.of("/usr/sbin/mosquitto"));
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            candidates.add(entry + "/mosquitto");
        }
        return candidates.stream()
                .filter(c -> Files.isExecutable(Path.of(c)))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException("install Debian's mosquitto package (./mvnw verify does as root)"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
