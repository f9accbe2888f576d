package io.edgebridge.telemetry;

import static io.edgebridge.testkit.KafkaTopicReader.header;
import static io.edgebridge.testkit.KafkaTopicReader.value;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.testkit.KafkaTopicReader;
import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.SharedBrokers;
import io.edgebridge.testkit.SimulatedDevice;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Telemetry from devices over TLS + password on a real Mosquitto, into a real Kafka. */
@QuarkusTest
@QuarkusTestResource(value = RealBrokersResource.class, restrictToAnnotatedClass = true)
class TelemetryFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void bridgeIsReady() {
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void qos1MessageLandsKeyedByDeviceWithCloudEventHeadersAndRegistryAttributes() {
        String marker = UUID.randomUUID().toString();
        String payload = "{\"temperature\":21.5,\"marker\":\"" + marker + "\"}";
        Instant before = Instant.now().minusSeconds(1);
        try (SimulatedDevice device = SimulatedDevice.connect(SharedBrokers.mqtt(), "sensor-001");
                KafkaTopicReader reader =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), "device-telemetry")) {
            device.publish("devices/sensor-001/telemetry", payload, 1);
            List<ConsumerRecord<String, byte[]>> records = reader.await(r -> value(r).contains(marker), 1, WAIT);
            assertEquals(1, records.size(), "the message reaches device-telemetry");
            ConsumerRecord<String, byte[]> record = records.get(0);
            assertEquals("sensor-001", record.key());
            assertEquals(payload, value(record), "binary mode keeps the payload bytes untouched");
            assertEquals("1.0", header(record, "ce_specversion"));
            assertNotNull(header(record, "ce_id"));
            assertEquals("devices/sensor-001/telemetry", header(record, "ce_source"));
            assertEquals("io.edgebridge.telemetry", header(record, "ce_type"));
            assertEquals("sensor-001", header(record, "ce_subject"));
            Instant time = Instant.parse(header(record, "ce_time"));
            assertTrue(time.isAfter(before) && time.isBefore(Instant.now().plusSeconds(1)), "ce_time is receive time");
            assertEquals("application/octet-stream", header(record, "content-type"));
            assertEquals("1", header(record, "ce_mqttqos"));
            assertEquals("false", header(record, "ce_mqttretained"));
            assertEquals("sensor-001", header(record, "ce_deviceid"));
            assertEquals("plant-a", header(record, "ce_site"));
            assertEquals("tx-100", header(record, "ce_model"));
            assertEquals("acme", header(record, "ce_tenant"));
        }
    }

    @Test
    void ruleWithNamedSegmentsRoutesToTemplatedTopicAndUnknownDeviceIsAccepted() {
        String marker = UUID.randomUUID().toString();
        try (SimulatedDevice device = SimulatedDevice.connect(SharedBrokers.mqtt(), "unlisted-7");
                KafkaTopicReader reader =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), "telemetry.temperature")) {
            device.publish("devices/unlisted-7/telemetry/temperature", "{\"m\":\"" + marker + "\"}", 1);
            ConsumerRecord<String, byte[]> record =
                    reader.await(r -> value(r).contains(marker), 1, WAIT).get(0);
            assertEquals("unlisted-7", record.key());
            assertEquals("temperature", header(record, "ce_stream"));
            assertEquals("application/json", header(record, "content-type"));
            assertEquals(null, header(record, "ce_site"), "no registry attributes for an unlisted device");
        }
    }

    @Test
    void structuredModeWritesOneJsonCloudEvent() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (SimulatedDevice device = SimulatedDevice.connect(SharedBrokers.mqtt(), "sensor-002");
                KafkaTopicReader reader =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), "device-events")) {
            device.publish("devices/sensor-002/events", "{\"door\":\"open\",\"m\":\"" + marker + "\"}", 2);
            ConsumerRecord<String, byte[]> record =
                    reader.await(r -> value(r).contains(marker), 1, WAIT).get(0);
            assertEquals("application/cloudevents+json; charset=UTF-8", header(record, "content-type"));
            JsonNode event = json.readTree(record.value());
            assertEquals("1.0", event.get("specversion").asText());
            assertEquals("io.edgebridge.test.event", event.get("type").asText());
            assertEquals("sensor-002", event.get("subject").asText());
            assertEquals("devices/sensor-002/events", event.get("source").asText());
            assertEquals("plant-b", event.get("site").asText());
            assertEquals("2", event.get("mqttqos").asText());
            assertEquals("open", event.get("data").get("door").asText(), "JSON data is embedded as JSON");
        }
    }

    @Test
    void invalidJsonGoesToDeadLetterTopicWithReasonAndOriginalPayload() {
        String marker = UUID.randomUUID().toString();
        String payload = "{\"temperature\": 21.5, oops " + marker;
        try (SimulatedDevice device = SimulatedDevice.connect(SharedBrokers.mqtt(), "sensor-001");
                KafkaTopicReader reader =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), "device-telemetry-dlq")) {
            device.publish("devices/sensor-001/telemetry/temperature", payload, 1);
            ConsumerRecord<String, byte[]> record =
                    reader.await(r -> value(r).contains(marker), 1, WAIT).get(0);
            assertEquals(payload, value(record));
            assertEquals("sensor-001", record.key());
            assertEquals("invalid-json", header(record, "dead-letter-reason"));
            assertTrue(header(record, "dead-letter-cause").startsWith("payload is not valid JSON"));
            assertEquals("metrics", header(record, "dead-letter-rule"));
            assertEquals("devices/sensor-001/telemetry/temperature", header(record, "dead-letter-mqtt-topic"));
            assertEquals("1", header(record, "dead-letter-mqtt-qos"));
        }
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(Matchers.containsString(
                        "edgebridge_telemetry_dead_lettered_total{reason=\"invalid-json\",rule=\"metrics\"}"));
    }

    @Test
    void aBatchArrivesSplitInOrderUnderTheDeviceKeyWithEachEventTime() throws Exception {
        String marker = UUID.randomUUID().toString();
        long t0 = 1_714_564_800_000L;
        String payload = "{\"readings\":[{\"f\":212,\"ts\":" + t0 + ",\"m\":\"" + marker + "\"},{\"f\":32,\"ts\":"
                + (t0 + 60_000) + ",\"m\":\"" + marker + "\"},{\"f\":50,\"ts\":" + (t0 + 120_000) + ",\"m\":\""
                + marker + "\"}]}";
        try (SimulatedDevice device = SimulatedDevice.connect(SharedBrokers.mqtt(), "sensor-001");
                KafkaTopicReader reader = new KafkaTopicReader(
                        SharedBrokers.kafka().bootstrapServers(), "telemetry.readings", "device-telemetry-dlq")) {
            device.publish("devices/sensor-001/batch", "{\"test\":true,\"readings\":[{\"m\":\"" + marker + "\"}]}", 1);
            device.publish("devices/sensor-001/batch", payload, 1);
            device.publish("devices/sensor-001/batch", "{\"readings\":[{\"f\":\"hot\",\"m\":\"" + marker + "\"}]}", 1);
            List<ConsumerRecord<String, byte[]>> records = reader.await(r -> value(r).contains(marker), 4, WAIT);
            assertEquals(4, records.size(), "three records and one dead letter; the test message is filtered");
            List<ConsumerRecord<String, byte[]>> readings = records.stream()
                    .filter(r -> r.topic().equals("telemetry.readings"))
                    .sorted(Comparator.comparingLong(ConsumerRecord::offset))
                    .toList();
            assertEquals(3, readings.size());
            double[] celsius = {100, 0, 10};
            for (int i = 0; i < 3; i++) {
                ConsumerRecord<String, byte[]> record = readings.get(i);
                JsonNode value = json.readTree(record.value());
                assertEquals("sensor-001", record.key());
                assertEquals(readings.get(0).partition(), record.partition(), "one partition, in order");
                assertEquals(celsius[i], value.get("celsius").asDouble(), 1e-9, "record " + i);
                assertEquals("plant-a", value.get("site").asText(), "registry attributes are variables");
                assertEquals(t0 + i * 60_000L, record.timestamp(), "the event time is the Kafka timestamp");
                assertEquals(Instant.ofEpochMilli(t0 + i * 60_000L).toString(), header(record, "ce_time"));
                assertEquals("application/json", header(record, "content-type"));
                assertEquals("plant-a", header(record, "ce_site"));
            }
            ConsumerRecord<String, byte[]> dead = records.stream()
                    .filter(r -> r.topic().equals("device-telemetry-dlq"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("transform-error", header(dead, "dead-letter-reason"));
            assertEquals("batches", header(dead, "dead-letter-rule"));
            assertTrue(
                    header(dead, "dead-letter-cause").contains("number(hot) failed"),
                    header(dead, "dead-letter-cause"));
        }
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            String metrics =
                    given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.contains("edgebridge_telemetry_filtered_total{rule=\"batches\"} 1.0"), metrics);
            assertTrue(metrics.contains("edgebridge_transform_records_total{rule=\"batches\"} 3.0"), metrics);
            assertTrue(metrics.contains("edgebridge_transform_seconds_count{rule=\"batches\"} 3"), metrics);
            assertTrue(
                    metrics.contains(
                            "edgebridge_telemetry_dead_lettered_total{reason=\"transform-error\",rule=\"batches\"}"
                                    + " 1.0"),
                    metrics);
        });
    }

    @Test
    void oversizedPayloadIsDeadLetteredTruncatedWithItsSize() {
        byte[] payload = new byte[RealBrokersResource.MAX_PAYLOAD_BYTES + 100];
        Arrays.fill(payload, (byte) 'x');
        String marker = UUID.randomUUID().toString();
        System.arraycopy(marker.getBytes(), 0, payload, 0, marker.length());
        try (SimulatedDevice device = SimulatedDevice.connect(SharedBrokers.mqtt(), "sensor-001");
                KafkaTopicReader reader =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), "device-telemetry-dlq")) {
            device.publish("devices/sensor-001/telemetry", payload, 1);
            ConsumerRecord<String, byte[]> record =
                    reader.await(r -> value(r).startsWith(marker), 1, WAIT).get(0);
            assertEquals("payload-too-large", header(record, "dead-letter-reason"));
            assertEquals(Integer.toString(payload.length), header(record, "dead-letter-payload-size"));
            assertEquals("true", header(record, "dead-letter-payload-truncated"));
            assertArrayEquals(Arrays.copyOf(payload, RealBrokersResource.MAX_PAYLOAD_BYTES), record.value());
        }
    }

    @Test
    void eachDeviceKeepsItsOrderInOnePartition() {
        int devices = 5;
        int perDevice = 60;
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<SimulatedDevice> clients = new ArrayList<>();
        try (KafkaTopicReader reader =
                new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), "device-telemetry")) {
            for (int d = 0; d < devices; d++) {
                clients.add(SimulatedDevice.connect(SharedBrokers.mqtt(), "order-" + run + "-" + d));
            }
            for (int seq = 0; seq < perDevice; seq++) {
                for (SimulatedDevice device : clients) {
                    device.publish("devices/" + device.id() + "/telemetry", run + ":" + seq, 1);
                }
            }
            List<ConsumerRecord<String, byte[]>> records =
                    reader.await(r -> value(r).startsWith(run + ":"), devices * perDevice, WAIT);
            assertEquals(devices * perDevice, records.size(), "none lost");
            Map<String, List<ConsumerRecord<String, byte[]>>> byDevice = new HashMap<>();
            records.forEach(r ->
                    byDevice.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
            assertEquals(devices, byDevice.size());
            for (List<ConsumerRecord<String, byte[]>> deviceRecords : byDevice.values()) {
                assertEquals(
                        1,
                        deviceRecords.stream()
                                .map(ConsumerRecord::partition)
                                .distinct()
                                .count(),
                        "one partition per device");
                deviceRecords.sort(Comparator.comparingLong(ConsumerRecord::offset));
                for (int seq = 0; seq < perDevice; seq++) {
                    assertEquals(run + ":" + seq, value(deviceRecords.get(seq)), "device order kept");
                }
            }
        } finally {
            clients.forEach(SimulatedDevice::close);
        }
    }

    @Test
    void readinessReportsBothBrokersWithDetails() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.name", hasItem("mqtt-broker"))
                .body("checks.name", hasItem("kafka-broker"))
                .body("checks.find { it.name == 'mqtt-broker' }.status", equalTo("UP"))
                .body(
                        "checks.find { it.name == 'mqtt-broker' }.data.broker",
                        equalTo("127.0.0.1:" + SharedBrokers.mqtt().port()))
                .body("checks.find { it.name == 'kafka-broker' }.status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void bridgeAnnouncesItselfOnItsRetainedStatusTopic() {
        assertEquals("online", SimulatedDevice.retained(SharedBrokers.mqtt(), "bridge/edge-bridge-test/status", WAIT));
    }

    @Test
    void metricsCountPerRuleWithoutDeviceLabels() {
        String marker = UUID.randomUUID().toString();
        try (SimulatedDevice device = SimulatedDevice.connect(SharedBrokers.mqtt(), "sensor-002");
                KafkaTopicReader reader =
                        new KafkaTopicReader(SharedBrokers.kafka().bootstrapServers(), "device-telemetry")) {
            device.publish("devices/sensor-002/telemetry", marker, 1);
            reader.await(r -> value(r).equals(marker), 1, WAIT);
        }
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            String metrics =
                    given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.contains("edgebridge_telemetry_received_total{rule=\"telemetry\"}"), metrics);
            assertTrue(metrics.contains("edgebridge_telemetry_forwarded_total{rule=\"telemetry\"}"), metrics);
            assertTrue(metrics.contains("edgebridge_registry_devices 2.0"), metrics);
            assertFalse(metrics.contains("sensor-002"), "no device id in any metric");
        });
    }
}
