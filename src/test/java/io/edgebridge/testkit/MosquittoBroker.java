package io.edgebridge.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Mosquitto (Debian's package, src/test/setup/prerequisites.sh) on a free loopback port, with TLS,
 * password authentication and persistence, started and stopped by the test itself.
 */
public final class MosquittoBroker implements MqttBroker {

    public static final String USERNAME = "bridge";

    private final Path dir;
    private final TestCertificates certificates;
    private final int port;
    private final int plainPort;
    private final String password;
    private Process process;

    private MosquittoBroker(Path dir, TestCertificates certificates, int port, int plainPort, String password) {
        this.dir = dir;
        this.certificates = certificates;
        this.port = port;
        this.plainPort = plainPort;
        this.password = password;
    }

    /**
     * Starts Mosquitto with TLS on a free port. {@code maxInflight} is what it may send the bridge ahead of PUBACKs.
     */
    public static MosquittoBroker start(Path dir, int maxInflight) {
        return start(dir, maxInflight, false);
    }

    /** The same; with {@code requireCertificate}, clients must also present a certificate signed by the test CA. */
    public static MosquittoBroker start(Path dir, int maxInflight, boolean requireCertificate) {
        return start(dir, maxInflight, requireCertificate, 1);
    }

    /**
     * The same with Mosquitto's {@code autosave_interval}: tests save every second so a restart keeps sessions; the
     * benchmark uses Mosquitto's default (1800 s), since rewriting every queued message each second costs the broker.
     */
    public static MosquittoBroker start(Path dir, int maxInflight, boolean requireCertificate, int autosaveSeconds) {
        return start(dir, maxInflight, requireCertificate, autosaveSeconds, false, 0);
    }

    /**
     * The same, publishing the broker's counters on {@code $SYS} every {@code sysIntervalSeconds} (Mosquitto's
     * {@code sys_interval}) instead of every 10 s: the benchmark reads what the broker sent from them.
     */
    public static MosquittoBroker start(
            Path dir, int maxInflight, boolean requireCertificate, int autosaveSeconds, int sysIntervalSeconds) {
        return start(dir, maxInflight, requireCertificate, autosaveSeconds, false, sysIntervalSeconds);
    }

    /**
     * Logging packets too ({@code log_type debug}: "Received PUBREC from bridge (Mid: 3)", "Sending PUBREL to ..."),
     * for tests that check which acknowledgement a client sent when.
     */
    public static MosquittoBroker startLoggingPackets(Path dir, int maxInflight) {
        return start(dir, maxInflight, false, 1, true, 0);
    }

    /** {@code sysIntervalSeconds} 0: Mosquitto's default. */
    private static MosquittoBroker start(
            Path dir,
            int maxInflight,
            boolean requireCertificate,
            int autosaveSeconds,
            boolean logPackets,
            int sysIntervalSeconds) {
        Path binary = binary("mosquitto", "/usr/sbin/mosquitto");
        Path passwd = binary("mosquitto_passwd", "/usr/bin/mosquitto_passwd");
        try {
            Files.createDirectories(dir.resolve("data"));
            TestCertificates certificates = TestCertificates.create(dir.resolve("tls"), "edge-bridge test CA");
            String password = "pw-" + Long.toHexString(System.nanoTime());
            Path passwords = dir.resolve("passwd");
            run(List.of(passwd.toString(), "-b", "-c", passwords.toString(), USERNAME, password));
            run(List.of(passwd.toString(), "-b", passwords.toString(), "device", "device-secret"));
            int[] ports = Ports.free(2);
            int port = ports[0];
            int plainPort = ports[1];
            Files.writeString(
                    dir.resolve("mosquitto.conf"),
                    String.join(
                            "\n",
                            "per_listener_settings false",
                            "allow_anonymous false",
                            "password_file " + passwords,
                            "persistence true",
                            "persistence_location " + dir.resolve("data") + "/",
                            "autosave_interval " + autosaveSeconds,
                            "max_inflight_messages " + maxInflight,
                            "max_queued_messages 1000000",
                            sysIntervalSeconds > 0 ? "sys_interval " + sysIntervalSeconds : "",
                            "user " + System.getProperty("user.name"),
                            "log_dest file " + dir.resolve("mosquitto.log"),
                            "log_type error",
                            "log_type warning",
                            "log_type notice",
                            "log_type information",
                            logPackets ? "log_type debug" : "",
                            "listener " + port + " 127.0.0.1",
                            "cafile " + certificates.caCert,
                            "certfile " + certificates.serverCert,
                            "keyfile " + certificates.serverKey,
                            "require_certificate " + requireCertificate,
                            // A second listener without TLS (same passwords), for tests of what plain TCP gets.
                            "listener " + plainPort + " 127.0.0.1",
                            ""));
            MosquittoBroker broker = new MosquittoBroker(dir, certificates, port, plainPort, password);
            broker.startProcess();
            return broker;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mosquitto in " + dir, e);
        }
    }

    /** Starts the broker process again on the same port, with the same persisted sessions. */
    public void startProcess() throws IOException {
        process = new ProcessBuilder(
                        binary("mosquitto", "/usr/sbin/mosquitto").toString(),
                        "-c",
                        dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("mosquitto.out").toFile()))
                .start();
        if (!Ports.waitForListener(port, Duration.ofSeconds(10))) {
            process.destroyForcibly();
            throw new IllegalStateException("mosquitto did not listen on " + port + "; see " + dir);
        }
    }

    /** Stops the broker process (SIGTERM: it saves its sessions), keeping its directory for a restart. */
    public void stopProcess() {
        Processes.stop(process, Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        stopProcess();
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    /** The listener without TLS. */
    public int plainPort() {
        return plainPort;
    }

    @Override
    public String username() {
        return USERNAME;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public TestCertificates certificates() {
        return certificates;
    }

    public Path logFile() {
        return dir.resolve("mosquitto.log");
    }

    /** The broker process's id, -1 while it is stopped. */
    public long pid() {
        return Processes.pid(process);
    }

    private static Path binary(String name, String usual) {
        Path path = Path.of(usual);
        if (Files.isExecutable(path)) {
            return path;
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(entry, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                name + " not found: install Debian's mosquitto package (./mvnw verify does as root)");
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException(command.get(0) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
