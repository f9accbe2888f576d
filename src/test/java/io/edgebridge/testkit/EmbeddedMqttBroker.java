package io.edgebridge.testkit;

import io.moquette.broker.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * An MQTT broker inside this JVM (Moquette), with TLS and a password file, for the one-command demo:
 * it needs nothing installed. Tests use the real Mosquitto instead.
 */
public final class EmbeddedMqttBroker implements MqttBroker {

    private final Server server = new Server();
    private final int port;
    private final String password;
    private final TestCertificates certificates;

    private EmbeddedMqttBroker(int port, String password, TestCertificates certificates) {
        this.port = port;
        this.password = password;
        this.certificates = certificates;
    }

    public static EmbeddedMqttBroker start(Path dir) {
        try {
            Files.createDirectories(dir);
            TestCertificates certificates = TestCertificates.create(dir.resolve("tls"), "edge-bridge demo CA");
            String password = "demo-" + Long.toHexString(System.nanoTime());
            Path passwords = dir.resolve("passwords");
            Files.writeString(
                    passwords,
                    MosquittoBroker.USERNAME + ":" + sha256(password) + "\n" + "device:" + sha256("device-secret")
                            + "\n");
            int port = Ports.free();
            Properties config = new Properties();
            config.setProperty("host", "127.0.0.1");
            config.setProperty("port", "disabled");
            config.setProperty("ssl_port", Integer.toString(port));
            config.setProperty("jks_path", certificates.serverKeystore.toString());
            config.setProperty("key_store_type", "pkcs12");
            config.setProperty("key_store_password", TestCertificates.KEYSTORE_PASSWORD);
            config.setProperty("key_manager_password", TestCertificates.KEYSTORE_PASSWORD);
            config.setProperty("allow_anonymous", "false");
            config.setProperty("password_file", passwords.toString());
            config.setProperty("persistence_enabled", "true");
            config.setProperty("data_path", dir.resolve("data").toString());
            EmbeddedMqttBroker broker = new EmbeddedMqttBroker(port, password, certificates);
            broker.server.startServer(config);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String username() {
        return MosquittoBroker.USERNAME;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public TestCertificates certificates() {
        return certificates;
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
