package io.edgebridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgebridge.testkit.DeviceFleet;
import io.edgebridge.testkit.KafkaBroker;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.Ports;
import io.edgebridge.testkit.TelemetryCollector;
import io.edgebridge.testkit.TelemetryCollector.Report;
import io.edgebridge.testkit.TestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JVM image as an operator runs it: built by deploy/image/build.sh on the Debian-made base, started by podman
 * with a read-only root filesystem, no capabilities and its default (non-root) user, against the test Mosquitto
 * (TLS + password, CA mounted read-only) and Kafka. Podman is required: without it this test fails, it does not skip.
 */
class ContainerImageIT {

    static final Path WORK = Path.of("target", "container-it").toAbsolutePath();
    static final Path SCRIPTS = Path.of("deploy", "image").toAbsolutePath();
    static final String BASE_IMAGE = "localhost/edge-bridge-jre:17-bookworm";
    static final String IMAGE = "localhost/edge-bridge-it:latest";
    static final String CA_IN_CONTAINER = "/etc/edge-bridge/mqtt/ca.crt";
    static final Pattern UP = Pattern.compile("\"status\"\\s*:\\s*\"UP\"");

    static MosquittoBroker mqtt;
    static KafkaBroker kafka;

    @BeforeAll
    static void imageAndBrokers() throws Exception {
        Files.createDirectories(WORK);
        if (run(Duration.ofSeconds(30), "podman", "--version").exit() != 0) {
            fail("podman does not run: the container image test needs the apt packages podman, runc, debootstrap,"
                    + " uidmap, slirp4netns and fuse-overlayfs (./mvnw verify installs them as root)");
        }
        // A fresh machine makes the base image once (debootstrap); later runs find it in podman's store.
        Result base = run(
                Duration.ofMinutes(20),
                List.of(SCRIPTS.resolve("build-base.sh").toString()),
                Map.of("BASE_IMAGE", BASE_IMAGE));
        System.out.println("base image: " + base.lastLine() + " (" + base.seconds() + " s)");
        assertEquals(0, base.exit(), "build-base.sh:\n" + base.output());
        Result image = run(
                Duration.ofMinutes(5),
                List.of(SCRIPTS.resolve("build.sh").toString()),
                Map.of("BASE_IMAGE", BASE_IMAGE, "IMAGE", IMAGE));
        System.out.println("application image: " + image.lastLine() + " (" + image.seconds() + " s)");
        assertEquals(0, image.exit(), "build.sh:\n" + image.output());

        mqtt = MosquittoBroker.start(WORK.resolve("mosquitto-" + System.nanoTime()), 100);
        kafka = KafkaBroker.start();
        kafka.createTopics(4, "device-telemetry");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (mqtt != null) {
            mqtt.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        // Each build adds layers: drop this run's image, keep the base for the next run.
        run(Duration.ofMinutes(1), "podman", "rmi", "--force", IMAGE);
    }

    @Test
    void readOnlyNonRootContainerForwardsTelemetryAndReportsReadyFromInside() throws Exception {
        int httpPort = Ports.free();
        String name = "edge-bridge-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<String> command = new ArrayList<>(List.of(
                "podman",
                "run",
                "--detach",
                "--name",
                name,
                // Host network: the test brokers listen on 127.0.0.1 only.
                "--network",
                "host",
                "--read-only",
                "--tmpfs",
                "/tmp:rw,size=64m,mode=1777",
                "--cap-drop",
                "ALL",
                "--security-opt",
                "no-new-privileges",
                "--volume",
                mqtt.certificates().caCert + ":" + CA_IN_CONTAINER + ":ro",
                // The command API's token key, mounted like the chart's api-key Secret.
                "--volume",
                TestTokens.shared().publicKeyFile() + ":/etc/edge-bridge/api-key/public.pem:ro",
                "--env",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION=/etc/edge-bridge/api-key/public.pem",
                "--env",
                "MP_JWT_VERIFY_ISSUER=" + TestTokens.ISSUER,
                "--env",
                "QUARKUS_HTTP_PORT=" + httpPort,
                "--env",
                "BRIDGE_MQTT_HOST=" + mqtt.host(),
                "--env",
                "BRIDGE_MQTT_PORT=" + mqtt.port(),
                "--env",
                "BRIDGE_MQTT_USERNAME=" + mqtt.username(),
                "--env",
                "BRIDGE_MQTT_CLIENT_ID=edge-bridge-container",
                "--env",
                "BRIDGE_MQTT_TLS_CA_FILE=" + CA_IN_CONTAINER,
                "--env",
                "KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers()));
        // The password reaches podman through its environment, not its command line.
        command.addAll(List.of("--env", "BRIDGE_MQTT_PASSWORD", IMAGE));
        Result started = run(Duration.ofMinutes(2), command, Map.of("BRIDGE_MQTT_PASSWORD", mqtt.password()));
        try {
            assertEquals(0, started.exit(), "podman run:\n" + started.output());

            String ready = awaitReadyInside(name, httpPort, Duration.ofSeconds(90));
            assertTrue(UP.matcher(ready).find(), "readiness seen from inside the container:\n" + ready);

            // The JVM itself (PID 1, started by the image's entrypoint) runs as the image's user, with nothing.
            String status = exec(name, "cat", "/proc/1/status").output();
            assertTrue(
                    status.contains("java"),
                    "PID 1 is the JVM: " + status.lines().findFirst().orElse(""));
            String uid = line(status, "Uid:");
            assertTrue(uid.matches("Uid:\\s+185\\s+185\\s+185\\s+185"), "PID 1 runs as 185: " + uid);
            String gid = line(status, "Gid:");
            assertTrue(gid.matches("Gid:\\s+185\\s+185\\s+185\\s+185"), "PID 1's group is 185: " + gid);
            assertEquals("CapEff:\t0000000000000000", line(status, "CapEff:"), "no effective capabilities");
            assertEquals("185", exec(name, "id", "-u").output().strip(), "default user of podman exec");

            for (String path : List.of("/deployments/probe", "/etc/probe", "/probe")) {
                Result write = exec(name, "bash", "-c", "echo x > " + path);
                assertNotEquals(0, write.exit(), "writing " + path + " must fail");
                assertTrue(write.output().contains("Read-only file system"), path + ": " + write.output());
            }
            Result tmp = exec(name, "bash", "-c", "echo x > /tmp/probe && rm /tmp/probe && ls -A /tmp");
            assertEquals(0, tmp.exit(), "/tmp is writable: " + tmp.output());
            System.out.println("container /tmp holds: " + tmp.output().strip().replace('\n', ' '));

            List<String> devices =
                    IntStream.range(0, 20).mapToObj(i -> "container-dev-" + i).toList();
            int perDevice = 50;
            try (TelemetryCollector collector =
                    new TelemetryCollector(kafka.bootstrapServers(), false, "device-telemetry")) {
                try (DeviceFleet fleet = DeviceFleet.start(
                        mqtt,
                        devices,
                        perDevice,
                        1,
                        1_000_000,
                        (device, seq) -> DeviceFleet.Publication.of(
                                "devices/" + device + "/telemetry", "{\"seq\":" + seq + "}"))) {
                    fleet.await(120);
                }
                Report report = collector.await(TelemetryCollector.expect(devices, perDevice), Duration.ofSeconds(120));
                System.out.printf(
                        "container: sent=%d received=%d lost=%d duplicates=%d out_of_order=%d%n",
                        devices.size() * perDevice,
                        report.received(),
                        report.lost(),
                        report.duplicates(),
                        report.outOfOrder());
                assertEquals(0, report.lost(), "telemetry lost on the way through the container");
                assertEquals(0, report.outOfOrder(), "messages out of order within a device");
            }
            // SIGTERM must reach the JVM (PID 1, no shell in between) so that it shuts down in order.
            Result stopped = run(Duration.ofSeconds(60), "podman", "stop", "--time", "30", name);
            assertEquals(0, stopped.exit(), "podman stop:\n" + stopped.output());
            String logs = run(Duration.ofSeconds(30), "podman", "logs", name).output();
            assertTrue(logs.contains("stopped in"), "orderly shutdown on SIGTERM:\n" + logs);
            assertTrue(!logs.contains(mqtt.password()), "no password in the container's log");
        } catch (AssertionError | RuntimeException e) {
            System.out.println("container log:\n"
                    + run(Duration.ofSeconds(30), "podman", "logs", name).output());
            throw e;
        } finally {
            Result removed = run(Duration.ofMinutes(1), "podman", "rm", "--force", "--time", "10", name);
            assertEquals(0, removed.exit(), "podman rm:\n" + removed.output());
        }
    }

    /** GETs /q/health/ready from inside the container until it answers 200; the last answer either way. */
    private static String awaitReadyInside(String name, int port, Duration timeout) {
        // The image has no HTTP client (the kubelet probes in production): bash's /dev/tcp speaks HTTP/1.0.
        String probe = "exec 3<>/dev/tcp/127.0.0.1/$0 && printf 'GET /q/health/ready HTTP/1.0\\r\\n\\r\\n' >&3"
                + " && cat <&3";
        long deadline = System.nanoTime() + timeout.toNanos();
        String answer = "";
        while (System.nanoTime() < deadline) {
            answer = exec(name, "bash", "-c", probe, Integer.toString(port)).output();
            if (answer.startsWith("HTTP/1.0 200") || answer.startsWith("HTTP/1.1 200")) {
                return answer;
            }
            Ports.sleep(500);
        }
        fail("not ready within " + timeout + "; last answer from inside:\n" + answer + "\ncontainer log:\n"
                + run(Duration.ofSeconds(30), "podman", "logs", name).output());
        return answer;
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse(prefix + " missing");
    }

    private static Result exec(String container, String... command) {
        List<String> args = new ArrayList<>(List.of("podman", "exec", container));
        args.addAll(List.of(command));
        return run(Duration.ofSeconds(30), args, Map.of());
    }

    record Result(int exit, String output, long seconds) {
        String lastLine() {
            List<String> lines = output.strip().lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    private static Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command), Map.of());
    }

    /** Runs a command with the project's podman settings; exit -1 when it cannot start or overruns. */
    private static Result run(Duration timeout, List<String> command, Map<String, String> env) {
        long start = System.nanoTime();
        try {
            Path output = Files.createTempFile(WORK, "command", ".log");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment()
                    .put("CONTAINERS_CONF", SCRIPTS.resolve("containers.conf").toString());
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            return new Result(
                    finished ? process.exitValue() : -1,
                    finished ? text : text + "\n(" + command.get(0) + " overran " + timeout + ")",
                    seconds);
        } catch (IOException e) {
            return new Result(-1, command.get(0) + " cannot run: " + e.getMessage(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted", 0);
        }
    }
}
