package io.edgebridge.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.DeviceFleet;
import io.edgebridge.testkit.DeviceFleet.Publication;
import io.edgebridge.testkit.FaultDirs;
import io.edgebridge.testkit.KafkaServerProcess;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.Ports;
import io.edgebridge.testkit.SimulatedDevice;
import io.edgebridge.testkit.TelemetryCollector;
import io.edgebridge.testkit.TelemetryCollector.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A batch split into records keeps the promises of a single message: its records land in order under the device's
 * key, and the broker gets one PUBACK for it, only once Kafka has them (Mosquitto's own packet log says what the
 * bridge acknowledged when). Across a Kafka restart every element arrives, in order; duplicates are allowed.
 */
class SplitDeliveryIT {

    static final String CLIENT_ID = "edge-bridge-split";
    static final String RULES = """
            rules:
              - name: batches
                mqtt-topic: devices/{deviceId}/batch
                kafka-topic: readings
                format: json
                transform:
                  jslt: '[for (.readings) {"seq": .seq, "celsius": (.f - 32) * 5 / 9, "ts": .ts}]'
                  event-time: /ts
            """;
    static final Pattern SENT =
            Pattern.compile("Sending PUBLISH to " + CLIENT_ID + " \\(d\\d, q1, r\\d, m(\\d+), 'devices/([^/]+)/batch'");
    static final Pattern ACKED = Pattern.compile("Received PUBACK from " + CLIENT_ID + " \\(Mid: (\\d+)");

    Path dir;
    MosquittoBroker mqtt;
    KafkaServerProcess kafka;
    BridgeProcess bridge;

    @BeforeEach
    void brokersAndBridge(TestInfo test) throws IOException {
        dir = FaultDirs.of("split-", test);
        mqtt = MosquittoBroker.startLoggingPackets(dir.resolve("mosquitto"), 100);
        kafka = KafkaServerProcess.start(dir.resolve("kafka"));
        kafka.createBridgeTopics(8, "readings");
        Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), CLIENT_ID);
        env.put(
                "BRIDGE_RULES_FILE",
                Files.writeString(dir.resolve("rules.yaml"), RULES).toString());
        env.put("BRIDGE_MQTT_RECONNECT_MAX_BACKOFF", "2s");
        env.put("BRIDGE_HEALTH_KAFKA_CHECK_INTERVAL", "1s");
        bridge = BridgeProcess.start(env, dir.resolve("bridge.log"), "-Xmx128m");
        assertTrue(bridge.awaitReady(Duration.ofSeconds(90)), "bridge ready:\n" + bridge.output());
    }

    @AfterEach
    void stopEverything() {
        if (bridge != null) {
            bridge.close();
        }
        mqtt.close();
        kafka.close();
    }

    /** Batch {@code batch} of a device: three readings, numbered batch * 3 + 0, 1, 2. */
    static String batch(int batch) {
        StringBuilder readings = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            int seq = batch * 3 + i;
            readings.append(i == 0 ? "" : ",")
                    .append("{\"seq\":")
                    .append(seq)
                    .append(",\"f\":")
                    .append(32 + seq)
                    .append(",\"ts\":")
                    .append(1_714_564_800_000L + seq * 1000L)
                    .append('}');
        }
        return "{\"readings\":[" + readings + "]}";
    }

    /** Message id of each batch PUBLISH the broker sent the bridge for {@code device}, and the ids acknowledged. */
    private record PacketLog(List<Integer> sent, List<Integer> acknowledged) {}

    private PacketLog packets(String device) throws IOException {
        List<Integer> sent = new ArrayList<>();
        List<Integer> acknowledged = new ArrayList<>();
        for (String line : Files.readAllLines(mqtt.logFile())) {
            Matcher publish = SENT.matcher(line);
            if (publish.find() && publish.group(2).equals(device)) {
                sent.add(Integer.parseInt(publish.group(1)));
            }
            Matcher ack = ACKED.matcher(line);
            if (ack.find()) {
                acknowledged.add(Integer.parseInt(ack.group(1)));
            }
        }
        return new PacketLog(sent, acknowledged);
    }

    private static boolean lastAcknowledged(PacketLog log) {
        int last = log.sent().get(log.sent().size() - 1);
        return log.acknowledged().contains(last);
    }

    private static int seq(ConsumerRecord<String, byte[]> record) {
        return KafkaTopicReader.json(record).get("seq").asInt();
    }

    @Test
    void aBatchIsThreeRecordsInOrderAndOnePubackThatWaitsForKafka() throws Exception {
        try (SimulatedDevice device = SimulatedDevice.connect(mqtt, "boiler-1");
                KafkaTopicReader reader = new KafkaTopicReader(kafka.bootstrapServers(), "readings")) {
            device.publish("devices/boiler-1/batch", batch(0), 1);
            List<ConsumerRecord<String, byte[]>> records = reader.await(r -> true, 3, Duration.ofSeconds(60));
            assertEquals(3, records.size());
            for (int i = 0; i < 3; i++) {
                ConsumerRecord<String, byte[]> record = records.get(i);
                assertEquals("boiler-1", record.key());
                assertEquals(records.get(0).partition(), record.partition());
                assertEquals(i, seq(record), "in the batch's order");
                assertEquals(1_714_564_800_000L + i * 1000L, record.timestamp(), "the event time");
            }
            Ports.sleep(1000); // the PUBACK follows Kafka's acknowledgement
            PacketLog first = packets("boiler-1");
            assertEquals(1, first.sent().size(), "one PUBLISH to the bridge: " + first);
            int mid = first.sent().get(0);
            assertEquals(
                    1, first.acknowledged().stream().filter(m -> m == mid).count(), "one PUBACK for three records");

            kafka.stopProcess();
            device.publish("devices/boiler-1/batch", batch(1), 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (packets("boiler-1").sent().size() < 2 && System.nanoTime() < deadline) {
                Ports.sleep(100);
            }
            PacketLog during = packets("boiler-1");
            assertEquals(2, during.sent().size(), "the broker handed the second batch to the bridge: " + during);
            int waiting = during.sent().get(1);
            Ports.sleep(8000);
            assertTrue(
                    packets("boiler-1").acknowledged().stream().noneMatch(m -> m == waiting),
                    "no PUBACK while Kafka cannot take the records");

            kafka.startProcess();
            List<ConsumerRecord<String, byte[]>> after = reader.await(r -> seq(r) >= 3, 3, Duration.ofSeconds(120));
            assertEquals(
                    List.of(3, 4, 5), after.stream().map(SplitDeliveryIT::seq).toList());
            // Acknowledged once Kafka has its records: this PUBLISH, or the broker's resend of it if a write failed.
            deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!lastAcknowledged(packets("boiler-1")) && System.nanoTime() < deadline) {
                Ports.sleep(200);
            }
            assertTrue(lastAcknowledged(packets("boiler-1")), "acknowledged once Kafka has its records");
        }
    }

    @Test
    void everyElementArrivesInOrderAcrossAKafkaRestart() throws Exception {
        List<String> devices =
                IntStream.range(0, 20).mapToObj(i -> "split-" + i).toList();
        int batches = 30;
        try (TelemetryCollector collector = new TelemetryCollector(kafka.bootstrapServers(), false, "readings");
                DeviceFleet fleet = DeviceFleet.start(
                        mqtt,
                        devices,
                        batches,
                        1,
                        40,
                        (id, n) -> Publication.of("devices/" + id + "/batch", batch(n)))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (collector.count() < 300 && System.nanoTime() < deadline) {
                Ports.sleep(50);
            }
            kafka.stopProcess();
            Ports.sleep(10_000);
            long heldBack = fleet.accepted() * 3 - collector.count();
            kafka.startProcess();
            fleet.await(180);
            assertTrue(heldBack > 0, "the outage held records back: " + heldBack);
            // The records' values begin {"seq":N, which the collector reads as the element's number per device.
            Report report = collector.await(TelemetryCollector.expect(devices, batches * 3), Duration.ofSeconds(180));
            System.out.printf(
                    "fault split-kafka-restart: batches=%d records=%d held_back_by_outage=%d lost=%d duplicates=%d"
                            + " out_of_order=%d%n",
                    fleet.accepted(),
                    report.received(),
                    heldBack,
                    report.lost(),
                    report.duplicates(),
                    report.outOfOrder());
            assertEquals(0, report.lost(), "every element arrives");
            assertEquals(0, report.outOfOrder(), "each device's elements in order, apart from duplicates");
            assertTrue(collector.partitionsPerKey().values().stream().allMatch(p -> p == 1), "one partition each");
        }
    }
}
