package io.edgebridge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * A real KRaft Kafka broker (combined broker + controller) as its own JVM, from the same Maven Central jars the
 * tests use, so a fault test can stop, kill and restart it on the same port and log directory.
 */
public final class KafkaServerProcess implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    private KafkaServerProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static KafkaServerProcess start(Path dir) {
        int port = Ports.free();
        int controllerPort = Ports.free();
        KafkaServerProcess kafka = new KafkaServerProcess(dir, port);
        try {
            Files.createDirectories(dir);
            Files.writeString(kafka.config(), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=4",
                    "auto.create.topics.enable=true",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "group.initial.rebalance.delay.ms=0",
                    ""));
            Process format = new ProcessBuilder(kafka.java("kafka.tools.StorageTool", "format", "--standalone",
                    "-t", Uuid.randomUuid().toString(), "-c", kafka.config().toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("format.log").toFile())
                    .start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka storage failed: "
                        + Files.readString(dir.resolve("format.log")));
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
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Ports.waitForListener(port, Duration.ofSeconds(60))) {
            process.destroyForcibly();
            throw new IllegalStateException("Kafka did not listen on " + port + "; see " + dir.resolve("kafka.log"));
        }
    }

    /** Stops the broker (SIGTERM, a controlled shutdown) and waits for it to end. */
    public void stopProcess() {
        Processes.stop(process, Duration.ofSeconds(30));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates topics through the Admin client (no Kafka CLI needed). */
    public void createTopics(int partitions, String... topics) {
        KafkaBroker.attach(bootstrapServers()).createTopics(partitions, topics);
    }

    @Override
    public void close() {
        stopProcess();
    }
}
