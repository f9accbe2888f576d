package io.edgebridge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HiveMQ Community Edition broker (MQTT 3.1, 3.1.1 and 5) as its own JVM on a free loopback port, with TLS
 * (the test CA's server certificate) and file persistence, so MQTT tests can run against a second broker besides
 * Mosquitto. {@code stopProcess}/{@code startProcess} restart it on the same port with its sessions and queued
 * messages; {@code killProcess} is a SIGKILL.
 *
 * <p>HiveMQ's jars come from {@code src/test/hivemq/pom.xml}, which the build resolves before the tests into
 * {@code target/hivemq/hivemq.classpath}; they never join the test classpath.
 *
 * <p>HiveMQ CE authenticates only through extensions, and embedded mode lets every client in. {@link #start(Path)}
 * keeps it so ({@link #username()} and {@link #password()} are handed out like Mosquitto's, and ignored);
 * {@link #startWithPassword(Path)} lets in that user name with that password only, through an extension the launcher
 * embeds.
 */
public final class HiveMqBroker implements MqttBroker {

    /** HiveMQ's bound on unacknowledged QoS 1/2 messages towards one client; a smaller receive maximum wins. */
    public static final int DEFAULT_MAX_INFLIGHT = 50;

    private final Path dir;
    private final TestCertificates certificates;
    private final int port;
    private final int plainPort;
    private final int maxInflight;
    private final String password;
    private Process process;

    private HiveMqBroker(
            Path dir, TestCertificates certificates, int port, int plainPort, int maxInflight, String password) {
        this.dir = dir;
        this.certificates = certificates;
        this.port = port;
        this.plainPort = plainPort;
        this.maxInflight = maxInflight;
        this.password = password;
    }

    /** Starts HiveMQ with its default in-flight bound and without packet logging; it lets every client in. */
    public static HiveMqBroker start(Path dir) {
        return start(dir, DEFAULT_MAX_INFLIGHT, false);
    }

    /**
     * Starts HiveMQ as {@link #start(Path)} does, but it lets in only {@link #username()} with {@link #password()}
     * (a random one), on both listeners; any other CONNECT gets "bad user name or password".
     */
    public static HiveMqBroker startWithPassword(Path dir) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return start(dir, DEFAULT_MAX_INFLIGHT, false, "pw-" + HexFormat.of().formatHex(random));
    }

    /**
     * Starts HiveMQ with TLS on a free port. {@code maxInflight} is what it may send one client ahead of PUBACKs and
     * PUBCOMPs (an MQTT 5 client's smaller receive maximum wins). With {@code logPackets} the log has a line for
     * every PUBLISH sent to a client and every PUBACK, PUBREC and PUBCOMP received ({@link #logFile()}).
     */
    public static HiveMqBroker start(Path dir, int maxInflight, boolean logPackets) {
        return start(dir, maxInflight, logPackets, null);
    }

    private static HiveMqBroker start(Path dir, int maxInflight, boolean logPackets, String password) {
        try {
            Files.createDirectories(dir.resolve("conf"));
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("extensions"));
            TestCertificates certificates = TestCertificates.create(dir.resolve("tls"), "edge-bridge test CA");
            int[] ports = Ports.free(2);
            HiveMqBroker broker = new HiveMqBroker(dir, certificates, ports[0], ports[1], maxInflight, password);
            Files.writeString(dir.resolve("conf/config.xml"), broker.config());
            Files.writeString(dir.resolve("conf/logback.xml"), broker.logging(logPackets));
            broker.startProcess();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start HiveMQ in " + dir, e);
        }
    }

    private String config() {
        return String.join(
                "\n",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<hivemq>",
                "  <listeners>",
                "    <tls-tcp-listener>",
                "      <port>" + port + "</port>",
                "      <bind-address>127.0.0.1</bind-address>",
                "      <tls>",
                "        <keystore>",
                // A JKS keystore instance also reads PKCS#12 files (keystore.type.compat, on by default).
                "          <path>" + certificates.serverKeystore + "</path>",
                "          <password>" + TestCertificates.KEYSTORE_PASSWORD + "</password>",
                "          <private-key-password>" + TestCertificates.KEYSTORE_PASSWORD + "</private-key-password>",
                "        </keystore>",
                "        <client-authentication-mode>NONE</client-authentication-mode>",
                "      </tls>",
                "    </tls-tcp-listener>",
                // A second listener without TLS, for tests of what plain TCP gets.
                "    <tcp-listener>",
                "      <port>" + plainPort + "</port>",
                "      <bind-address>127.0.0.1</bind-address>",
                "    </tcp-listener>",
                "  </listeners>",
                "  <mqtt>",
                // HiveMQ's default is 1000 per client, the newest dropped beyond; Mosquitto's tests allow 1,000,000.
                "    <queued-messages>",
                "      <max-queue-size>1000000</max-queue-size>",
                "      <strategy>discard</strategy>",
                "    </queued-messages>",
                "  </mqtt>",
                "  <persistence>",
                "    <mode>file</mode>",
                "  </persistence>",
                "  <anonymous-usage-statistics>",
                "    <enabled>false</enabled>",
                "  </anonymous-usage-statistics>",
                "</hivemq>",
                "");
    }

    private String logging(boolean logPackets) {
        return String.join(
                "\n",
                "<configuration>",
                "  <appender name=\"FILE\" class=\"ch.qos.logback.core.FileAppender\">",
                "    <file>" + logFile() + "</file>",
                "    <append>true</append>",
                "    <encoder>",
                "      <pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n%ex</pattern>",
                "    </encoder>",
                "  </appender>",
                // Connects, disconnects, dropped messages and expired sessions, one line each.
                "  <logger name=\"event\" level=\"DEBUG\"/>",
                "  <logger name=\"com.hivemq.mqtt.handler.publish\" level=\"" + (logPackets ? "TRACE" : "INFO")
                        + "\"/>",
                "  <logger name=\"jetbrains.exodus\" level=\"WARN\"/>",
                "  <logger name=\"oshi\" level=\"ERROR\"/>",
                "  <root level=\"INFO\">",
                "    <appender-ref ref=\"FILE\"/>",
                "  </root>",
                "</configuration>",
                "");
    }

    /** Starts the broker process again on the same ports, with the same persisted sessions, and waits until ready. */
    public void startProcess() {
        Path out = dir.resolve("hivemq.out");
        try {
            long readyBefore = readyLines(out);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-Dhivemq.home=" + dir,
                    "-Djava.net.preferIPv4Stack=true",
                    // As HiveMQ's own run.sh opens them.
                    "--add-opens",
                    "java.base/java.lang=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/java.nio=ALL-UNNAMED",
                    "--add-opens",
                    "java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens",
                    "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                    "--add-exports",
                    "java.base/jdk.internal.misc=ALL-UNNAMED",
                    "-cp",
                    classpath(),
                    HiveMqLauncher.class.getName(),
                    dir.resolve("conf").toString(),
                    dir.resolve("data").toString(),
                    dir.resolve("extensions").toString(),
                    Integer.toString(maxInflight)));
            if (password != null) {
                // On the command line of a loopback test broker only; never logged.
                command.addAll(List.of(username(), password));
            }
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .start();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (readyLines(out) == readyBefore) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("HiveMQ did not start; see " + out + " and " + logFile());
                }
                Ports.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start HiveMQ in " + dir, e);
        }
    }

    private static long readyLines(Path out) throws IOException {
        if (!Files.exists(out)) {
            return 0;
        }
        try (var lines = Files.lines(out)) {
            return lines.filter(HiveMqLauncher.READY::equals).count();
        }
    }

    /** HiveMQ's jars (resolved by the build) and the launcher's class folder. */
    private static String classpath() throws IOException {
        Path launcher;
        try {
            launcher = Path.of(HiveMqLauncher.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path file = launcher.resolveSibling("hivemq").resolve("hivemq.classpath");
        if (!Files.exists(file)) {
            throw new IllegalStateException(
                    file + " is missing: the build writes it before the tests (./mvnw generate-test-resources)");
        }
        return Files.readString(file).strip() + System.getProperty("path.separator") + launcher;
    }

    /** Stops the broker process (SIGTERM: HiveMQ closes its persistence), keeping its directory for a restart. */
    public void stopProcess() {
        Processes.stop(process, Duration.ofSeconds(30));
    }

    /** Ends the broker process with SIGKILL: no shutdown, whatever HiveMQ had not written yet is lost. */
    public void killProcess() {
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** Handed out like Mosquitto's; unless started {@link #startWithPassword(Path) with a password}, ignored. */
    @Override
    public String username() {
        return MosquittoBroker.USERNAME;
    }

    @Override
    public String password() {
        return password == null ? "ignored-by-hivemq" : password;
    }

    @Override
    public TestCertificates certificates() {
        return certificates;
    }

    /** HiveMQ's log (Logback): start and stop, client events, with {@code logPackets} the packet flow. */
    public Path logFile() {
        return dir.resolve("hivemq.log");
    }

    /** The broker process's id, -1 while it is stopped. */
    public long pid() {
        return Processes.pid(process);
    }
}
