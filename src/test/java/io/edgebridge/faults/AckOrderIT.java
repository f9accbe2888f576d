package io.edgebridge.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.DeviceFleet;
import io.edgebridge.testkit.DeviceFleet.Publication;
import io.edgebridge.testkit.FaultDirs;
import io.edgebridge.testkit.KafkaServerProcess;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.TelemetryCollector;
import io.edgebridge.testkit.TelemetryCollector.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acknowledgements in arrival order (MQTT 3.1.1 and 5, section 4.6), across QoS 1 and 2, although Kafka answers per
 * partition, out of order: the broker's own log of what it sent the bridge and what the bridge acknowledged.
 */
class AckOrderIT {

    static final String CLIENT_ID = "edge-bridge-order";
    static final Pattern SENT =
            Pattern.compile("Sending PUBLISH to " + CLIENT_ID + " \\(d\\d, q([12]), r\\d, m(\\d+),");
    static final Pattern ACKED = Pattern.compile("Received PUB(?:ACK|REC) from " + CLIENT_ID + " \\(Mid: (\\d+)");

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"5", "3.1.1"})
    void theBrokerHearsAcknowledgementsInTheOrderItSentAcrossQos1And2(String protocol) throws Exception {
        Path dir = FaultDirs.of("ack-order-" + protocol);
        List<String> devices = IntStream.range(0, 20).mapToObj(i -> "ord-" + i).toList();
        int perDevice = 100;
        try (MosquittoBroker mqtt = MosquittoBroker.startLoggingPackets(dir.resolve("mosquitto"), 100);
                KafkaServerProcess kafka = KafkaServerProcess.start(dir.resolve("kafka"))) {
            kafka.createTopics(8, "device-telemetry", "device-telemetry-dlq", "device-command-status");
            Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), CLIENT_ID);
            env.put(
                    "BRIDGE_RULES_FILE",
                    Files.writeString(dir.resolve("rules.yaml"), """
                            rules:
                              - name: mixed
                                mqtt-topic: devices/{deviceId}/mixed
                                kafka-topic: device-telemetry
                                qos: 2
                            """).toString());
            env.put("BRIDGE_MQTT_PROTOCOL", protocol);
            try (TelemetryCollector collector =
                            new TelemetryCollector(kafka.bootstrapServers(), false, "device-telemetry");
                    BridgeProcess bridge = BridgeProcess.start(env, dir.resolve("bridge.log"), "-Xmx128m")) {
                assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), bridge.output());
                // Half the devices publish at QoS 1, half at QoS 2: the bridge receives both on one session.
                List<DeviceFleet> fleets = new ArrayList<>();
                for (int qos = 1; qos <= 2; qos++) {
                    int level = qos;
                    List<String> group = devices.stream()
                            .filter(d -> Integer.parseInt(d.substring(4)) % 2 == level - 1)
                            .toList();
                    fleets.add(DeviceFleet.start(
                            mqtt,
                            group,
                            perDevice,
                            level,
                            1000,
                            (id, seq) -> Publication.of("devices/" + id + "/mixed", id + ":" + seq)));
                }
                for (DeviceFleet fleet : fleets) {
                    try (fleet) {
                        fleet.await(120);
                    }
                }
                Report report = collector.await(TelemetryCollector.expect(devices, perDevice), Duration.ofSeconds(120));
                assertEquals(0, report.lost(), "lost");
                // The last acknowledgements reach the broker's log a moment after the records reach Kafka.
                await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            Traffic traffic = Traffic.read(mqtt.logFile());
                            return traffic.acknowledged().size()
                                    >= traffic.sent().size();
                        });
            }
            Traffic traffic = Traffic.read(mqtt.logFile());
            List<Integer> sent = traffic.sent();
            List<Integer> acknowledged = traffic.acknowledged();
            int qos2 = traffic.qos2();
            System.out.printf(
                    "ack-order MQTT %s: sent to the bridge %d (QoS 2: %d), acknowledged %d%n",
                    protocol, sent.size(), qos2, acknowledged.size());
            assertTrue(sent.size() >= devices.size() * perDevice, "every message went to the bridge");
            assertTrue(qos2 > 0 && qos2 < sent.size(), "both QoS 1 and QoS 2 were delivered");
            assertEquals(sent, acknowledged, "acknowledged in exactly the order the broker sent them");
        }
    }

    /** What the broker's log says it sent the bridge (packet ids, in order) and what the bridge acknowledged. */
    record Traffic(List<Integer> sent, List<Integer> acknowledged, int qos2) {

        static Traffic read(Path log) {
            List<Integer> sent = new ArrayList<>();
            List<Integer> acknowledged = new ArrayList<>();
            int qos2 = 0;
            try {
                for (String line : Files.readAllLines(log)) {
                    Matcher publish = SENT.matcher(line);
                    if (publish.find()) {
                        sent.add(Integer.parseInt(publish.group(2)));
                        qos2 += publish.group(1).equals("2") ? 1 : 0;
                    }
                    Matcher ack = ACKED.matcher(line);
                    if (ack.find()) {
                        acknowledged.add(Integer.parseInt(ack.group(1)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Traffic(sent, acknowledged, qos2);
        }
    }
}
