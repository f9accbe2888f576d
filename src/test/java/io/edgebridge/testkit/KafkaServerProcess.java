package io.edgebridge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * A real KRaft Kafka broker (combined broker + controller) as its own JVM, from the same Maven Central jars the
 * tests use, so a fault test can stop, kill and restart it on the same port and log directory. Optionally it also
 * has a SASL_SSL listener with SCRAM-SHA-512 users, as a secured production cluster would.
 */
public final class KafkaServerProcess implements AutoCloseable {

    /**
     * A client listener on TLS (server certificate from {@code certificates}) that authenticates {@code users}
     * (name -> password) with SCRAM-SHA-512. The PLAINTEXT listener stays for the broker itself and for tests.
     */
    public record SaslSsl(TestCertificates certificates, Map<String, String> users) {}

    /** The bridge's topics under the default configuration: telemetry, commands, their statuses and dead letters. */
    public static final List<String> BRIDGE_TOPICS = List.of(
            "device-telemetry",
            "device-telemetry-dlq",
            "device-commands",
            "device-command-status",
            "device-command-responses",
            "device-commands-dlq");

    private final Path dir;
    private final int port;
    private final int saslSslPort;
    private Process process;

    private KafkaServerProcess(Path dir, int port, int saslSslPort) {
        this.dir = dir;
        this.port = port;
        this.saslSslPort = saslSslPort;
    }

    public static KafkaServerProcess start(Path dir) {
        return start(dir, null);
    }

    /** Starts a broker with a SASL_SSL listener besides the PLAINTEXT one ({@code saslSsl} null: only PLAINTEXT). */
    public static KafkaServerProcess start(Path dir, SaslSsl saslSsl) {
        int[] ports = Ports.free(3);
        int port = ports[0];
        int controllerPort = ports[1];
        int saslSslPort = saslSsl == null ? -1 : ports[2];
        KafkaServerProcess kafka = new KafkaServerProcess(dir, port, saslSslPort);
        String listeners = "PLAINTEXT://127.0.0.1:" + port;
        List<String> secured = new ArrayList<>();
        List<String> format = new ArrayList<>(
                List.of("format", "--standalone", "-t", Uuid.randomUuid().toString()));
        if (saslSsl != null) {
            listeners += ",CLIENT://127.0.0.1:" + saslSslPort;
            // Only the CLIENT listener is secured: broker-internal and controller traffic stay on loopback PLAINTEXT.
            secured = List.of(
                    "listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512",
                    "listener.name.client.scram-sha-512.sasl.jaas.config="
                            + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                    "listener.name.client.ssl.keystore.type=PKCS12",
                    "listener.name.client.ssl.keystore.location=" + saslSsl.certificates().serverKeystore,
                    "listener.name.client.ssl.keystore.password=" + TestCertificates.KEYSTORE_PASSWORD,
                    "listener.name.client.ssl.key.password=" + TestCertificates.KEYSTORE_PASSWORD);
            // SCRAM credentials live in the cluster metadata; KRaft writes them when the storage is formatted.
            saslSsl.users()
                    .forEach((user, password) -> format.addAll(
                            List.of("--add-scram", "SCRAM-SHA-512=[name=" + user + ",password=" + password + "]")));
        }
        format.addAll(List.of("-c", kafka.config().toString()));
        try {
            Files.createDirectories(dir);
            List<String> config = new ArrayList<>(List.of(
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                    "listeners=" + listeners + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=" + listeners,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,CLIENT:SASL_SSL",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=4",
                    "auto.create.topics.enable=true",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "group.initial.rebalance.delay.ms=0"));
            config.addAll(secured);
            config.add("");
            Files.writeString(kafka.config(), String.join("\n", config));
            Process formatting = new ProcessBuilder(
                            kafka.java("kafka.tools.StorageTool", format.toArray(String[]::new)))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("format.log").toFile())
                    .start();
            if (!formatting.waitFor(60, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
                throw new IllegalStateException(
                        "formatting Kafka storage failed: " + Files.readString(dir.resolve("format.log")));
            }
            kafka.startProcess();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Path config() {
        return dir.resolve("server.properties");
    }

    private List<String> java(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /** Starts (or restarts) the broker on its port with its existing data, and waits until it listens. */
    public void startProcess() {
        try {
            process = new ProcessBuilder(java("kafka.Kafka", config().toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("kafka.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int listener : saslSslPort > 0 ? new int[] {port, saslSslPort} : new int[] {port}) {
            if (!Ports.waitForListener(listener, Duration.ofSeconds(60))) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "Kafka did not listen on " + listener + "; see " + dir.resolve("kafka.log"));
            }
        }
    }

    /** Stops the broker (SIGTERM, a controlled shutdown) and waits for it to end. */
    public void stopProcess() {
        Processes.stop(process, Duration.ofSeconds(30));
    }

    /** The PLAINTEXT listener. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The SASL_SSL listener (SCRAM-SHA-512 over TLS). */
    public String saslSslBootstrapServers() {
        if (saslSslPort < 0) {
            throw new IllegalStateException("this broker was started without a SASL_SSL listener");
        }
        return "127.0.0.1:" + saslSslPort;
    }

    public Path logFile() {
        return dir.resolve("kafka.log");
    }

    /** The broker process's id, -1 while it is stopped. */
    public long pid() {
        return Processes.pid(process);
    }

    /** Creates topics through the Admin client (no Kafka CLI needed). */
    public void createTopics(int partitions, String... topics) {
        KafkaBroker.attach(bootstrapServers()).createTopics(partitions, topics);
    }

    /** The topics a bridge with the default configuration writes and reads, and {@code more}, all alike. */
    public void createBridgeTopics(int partitions, String... more) {
        List<String> topics = new ArrayList<>(BRIDGE_TOPICS);
        topics.addAll(List.of(more));
        createTopics(partitions, topics.toArray(String[]::new));
    }

    @Override
    public void close() {
        stopProcess();
    }
}
