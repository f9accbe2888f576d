package io.edgebridge.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.DeviceFleet;
import io.edgebridge.testkit.DeviceFleet.Publication;
import io.edgebridge.testkit.FaultDirs;
import io.edgebridge.testkit.HiveMqBroker;
import io.edgebridge.testkit.KafkaServerProcess;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.MqttBroker;
import io.edgebridge.testkit.Ports;
import io.edgebridge.testkit.TelemetryCollector;
import io.edgebridge.testkit.TelemetryCollector.Report;
import io.edgebridge.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * QoS 2 without loss (issue 23): the bridge sends PUBREC only once Kafka has the record, so a crash in between
 * leaves the message with the broker; and a PUBREL the broker resends to the restarted bridge is answered, so the
 * session keeps flowing. Kafka is frozen (SIGSTOP) while the messages arrive, the broker's log shows that no PUBREC
 * left, the bridge is killed (SIGKILL), Kafka thaws, a new bridge starts: every message is in Kafka, in each
 * device's order, and messages sent afterwards arrive too. On Mosquitto and on HiveMQ CE, in MQTT 5 and 3.1.1.
 */
class Qos2CrashIT {

    static final String CLIENT_ID = "edge-bridge-qos2";
    static final String RULES = """
            rules:
              - name: exact
                mqtt-topic: devices/{deviceId}/exact
                kafka-topic: device-telemetry
                qos: 2
            """;

    /** A broker that logs, per packet, what the bridge acknowledged. */
    interface LoggingBroker extends MqttBroker {
        Path logFile();

        /** A log line that says the bridge sent a PUBREC. */
        String pubrecLine();
    }

    static Stream<Arguments> brokersAndProtocols() {
        return Stream.of(
                Arguments.of("mosquitto", "5"),
                Arguments.of("mosquitto", "3.1.1"),
                Arguments.of("hivemq", "5"),
                Arguments.of("hivemq", "3.1.1"));
    }

    @ParameterizedTest(name = "{0}, MQTT {1}")
    @MethodSource("brokersAndProtocols")
    void aCrashWithQos2InFlightLosesNothingAndTheSessionKeepsFlowing(String brokerName, String protocol)
            throws Exception {
        Path dir = FaultDirs.of("qos2-" + brokerName + "-" + protocol);
        List<String> devices = IntStream.range(0, 10).mapToObj(i -> "q2-" + i).toList();
        int perDevice = 300;
        try (LoggingBroker mqtt = start(brokerName, dir.resolve(brokerName));
                KafkaServerProcess kafka = KafkaServerProcess.start(dir.resolve("kafka"))) {
            kafka.createTopics(4, "device-telemetry", "device-telemetry-dlq", "device-command-status");
            Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), CLIENT_ID);
            env.put(
                    "BRIDGE_RULES_FILE",
                    Files.writeString(dir.resolve("rules.yaml"), RULES).toString());
            env.put("BRIDGE_MQTT_PROTOCOL", protocol);
            env.put("BRIDGE_MQTT_RECONNECT_MAX_BACKOFF", "2s");
            try (TelemetryCollector collector =
                    new TelemetryCollector(kafka.bootstrapServers(), false, "device-telemetry")) {
                BridgeProcess first = BridgeProcess.start(env, dir.resolve("bridge-1.log"), "-Xmx128m");
                assertTrue(first.awaitReady(Duration.ofSeconds(60)), first.output());
                signal("STOP", kafka.pid()); // Kafka takes nothing now: no record is acknowledged
                try (DeviceFleet fleet =
                        DeviceFleet.start(mqtt, devices, perDevice, 2, 1000, (id, seq) -> message(id, seq, "a"))) {
                    fleet.await(120);
                }
                Ports.sleep(2000); // what the broker sends the bridge meanwhile reaches it
                String log = Files.readString(mqtt.logFile());
                assertFalse(log.contains(mqtt.pubrecLine()), "no PUBREC while Kafka has nothing");
                first.process().destroyForcibly(); // SIGKILL: PUBRECs never sent, messages held in memory gone
                first.awaitExit(Duration.ofSeconds(10));
                signal("CONT", kafka.pid());

                BridgeProcess second = BridgeProcess.start(env, dir.resolve("bridge-2.log"), "-Xmx128m");
                try (second) {
                    assertTrue(second.awaitReady(Duration.ofSeconds(60)), second.output());
                    Report report =
                            collector.await(TelemetryCollector.expect(devices, perDevice), Duration.ofSeconds(120));
                    System.out.printf(
                            "qos2-crash %s MQTT %s: sent=%d received=%d lost=%d duplicates=%d out_of_order=%d%n",
                            brokerName,
                            protocol,
                            devices.size() * perDevice,
                            report.received(),
                            report.lost(),
                            report.duplicates(),
                            report.outOfOrder());
                    assertEquals(0, report.lost(), "lost");
                    assertEquals(0, report.outOfOrder(), "per-device order of first arrivals");
                    assertTrue(Files.readString(mqtt.logFile()).contains(mqtt.pubrecLine()), "PUBRECs once in Kafka");
                }
            }
            try (TelemetryCollector after =
                            new TelemetryCollector(kafka.bootstrapServers(), false, "device-telemetry");
                    BridgeProcess third = BridgeProcess.start(env, dir.resolve("bridge-3.log"), "-Xmx128m")) {
                assertTrue(third.awaitReady(Duration.ofSeconds(60)), third.output());
                List<String> later = devices.stream().map(d -> d + "-later").toList();
                try (DeviceFleet fleet =
                        DeviceFleet.start(mqtt, later, 50, 2, 500, (id, seq) -> message(id, seq, "b"))) {
                    fleet.await(60);
                }
                Report report = after.await(TelemetryCollector.expect(later, 50), Duration.ofSeconds(60));
                assertEquals(0, report.lost(), "the session keeps flowing after the crash");
            }
        }
    }

    private static Publication message(String device, int seq, String round) {
        return Publication.of("devices/" + device + "/exact", device + ":" + seq + ":" + round);
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    private static LoggingBroker start(String name, Path dir) {
        if (name.equals("mosquitto")) {
            MosquittoBroker broker = MosquittoBroker.startLoggingPackets(dir, 20);
            return new Logging(broker, broker::logFile, "Received PUBREC from " + CLIENT_ID);
        }
        HiveMqBroker broker = HiveMqBroker.start(dir, HiveMqBroker.DEFAULT_MAX_INFLIGHT, true);
        return new Logging(broker, broker::logFile, "Client " + CLIENT_ID + ": Received PUBREC");
    }

    /** A broker with where it logs and what a PUBREC from the bridge looks like there. */
    private record Logging(MqttBroker broker, Supplier<Path> log, String pubrecLine) implements LoggingBroker {
        @Override
        public Path logFile() {
            return log.get();
        }

        @Override
        public String host() {
            return broker.host();
        }

        @Override
        public int port() {
            return broker.port();
        }

        @Override
        public String username() {
            return broker.username();
        }

        @Override
        public String password() {
            return broker.password();
        }

        @Override
        public TestCertificates certificates() {
            return broker.certificates();
        }

        @Override
        public void close() {
            broker.close();
        }
    }
}
