package io.edgebridge.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.telemetry.IngestHarness.Received;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One MQTT message, its Kafka records and its one answer to the broker: split, filtered, dead-lettered, as is. */
class TelemetryIngestorTest {

    static final String RULES = """
            rules:
              - name: batches
                mqtt-topic: devices/{deviceId}/batch
                kafka-topic: readings
                format: json
                transform:
                  when: '.test != true'
                  jslt: '[for (.readings) {"device": $deviceId, "site": $site, "v": .v, "ts": .ts}]'
                  event-time: /ts
              - name: plain
                mqtt-topic: devices/{deviceId}/telemetry
                kafka-topic: device-telemetry
            """;

    static final String BATCH = "{\"readings\":[{\"v\":1,\"ts\":1714564800000},{\"v\":2,\"ts\":1714564801000},"
            + "{\"v\":3,\"ts\":1714564802000}]}";

    @TempDir
    Path dir;

    IngestHarness harness;

    @BeforeEach
    void ingestor() throws Exception {
        harness = new IngestHarness(dir, RULES, Map.of("b-1", Map.of("site", "berlin")));
    }

    private static OutgoingKafkaRecordMetadata<?> kafka(Message<byte[]> message) {
        return message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
    }

    private static String value(Message<byte[]> message) {
        return new String(message.getPayload(), StandardCharsets.UTF_8);
    }

    @Test
    void aBatchBecomesItsRecordsInOrderAndIsAcknowledgedOnceAfterTheLast() {
        Received batch = IngestHarness.message("devices/b-1/batch", BATCH);
        List<Message<byte[]>> records = harness.ingest(batch);

        assertEquals(3, records.size());
        for (int i = 0; i < 3; i++) {
            OutgoingKafkaRecordMetadata<?> kafka = kafka(records.get(i));
            assertEquals("readings", kafka.getTopic());
            assertEquals("b-1", kafka.getKey(), "every record under the device's key");
            assertEquals(Instant.ofEpochMilli(1_714_564_800_000L + i * 1000L), kafka.getTimestamp());
            assertEquals(
                    "{\"device\":\"b-1\",\"site\":\"berlin\",\"v\":" + (i + 1) + ",\"ts\":"
                            + (1_714_564_800_000L + i * 1000L) + "}",
                    value(records.get(i)));
        }
        records.get(0).ack();
        records.get(2).ack(); // Kafka answers per record; the message waits for all of them
        assertEquals(0, batch.acks.get(), "no acknowledgement while a record is not in Kafka");
        assertEquals(0, harness.count("edgebridge.telemetry.forwarded"));
        records.get(1).ack();
        records.get(1).ack(); // a second answer for a record changes nothing
        assertEquals(1, batch.acks.get(), "one acknowledgement, after the last record");
        assertEquals(0, batch.nacks.get());
        assertEquals(1, harness.count("edgebridge.telemetry.forwarded", "batches"), "a split message counts once");
        assertEquals(3, harness.count("edgebridge.transform.records", "batches"));
        assertEquals(1, harness.transformTimings("batches"));
    }

    @Test
    void aRefusedRecordRefusesTheMessageOnceEveryRecordAnswered() {
        Received batch = IngestHarness.message("devices/b-1/batch", BATCH);
        List<Message<byte[]>> records = harness.ingest(batch);
        IllegalStateException refused = new IllegalStateException("Kafka said no");
        records.get(1).nack(refused);
        records.get(0).ack();
        assertEquals(0, batch.nacks.get(), "the message is with Kafka while any record is");
        records.get(2).ack();
        assertEquals(1, batch.nacks.get(), "refused, so the broker sends it again");
        assertSame(refused, batch.refusal.get());
        assertEquals(0, batch.acks.get());
        assertEquals(0, harness.count("edgebridge.telemetry.forwarded", "batches"));
    }

    @Test
    void theWindowLearnsTheBytesTheRecordsHold() {
        Received batch = IngestHarness.message("devices/b-1/batch", BATCH);
        List<Message<byte[]>> records = harness.ingest(batch);
        long bytes = records.stream().mapToLong(m -> m.getPayload().length).sum();
        assertEquals(bytes, batch.heldBytes.get());
    }

    @Test
    void aFilteredMessageIsAcknowledgedAtOnceAndCountedWithoutRecords() {
        Received test = IngestHarness.message("devices/b-1/batch", "{\"test\":true,\"readings\":[{\"v\":1}]}");
        assertEquals(List.of(), harness.ingest(test));
        assertEquals(1, test.acks.get());
        assertEquals(1, harness.count("edgebridge.telemetry.filtered", "batches"));
        assertEquals(0, harness.count("edgebridge.telemetry.dead.lettered", "batches"));

        Received empty = IngestHarness.message("devices/b-1/batch", "{\"readings\":[]}");
        assertEquals(List.of(), harness.ingest(empty), "an empty array forwards nothing");
        assertEquals(1, empty.acks.get());
        assertEquals(2, harness.count("edgebridge.telemetry.filtered", "batches"));
        assertEquals(-1, empty.heldBytes.get(), "nothing built, nothing reported");
    }

    @Test
    void aFailedTransformDeadLettersTheMessageItself() {
        String payload = "{\"readings\":[{\"v\":1}]}";
        Received bad = IngestHarness.message("devices/b-1/batch", payload);
        List<Message<byte[]>> records = harness.ingest(bad);
        assertEquals(1, records.size());
        assertEquals("dlq", kafka(records.get(0)).getTopic());
        assertEquals(payload, value(records.get(0)), "the original payload is kept");
        assertEquals(-1, bad.heldBytes.get(), "a dead letter holds the payload the window already counts");
        records.get(0).ack();
        assertEquals(1, bad.acks.get());
        assertEquals(1, harness.count("edgebridge.telemetry.dead.lettered", "batches"));
        assertEquals(
                1,
                harness.registry
                        .find("edgebridge.telemetry.dead.lettered")
                        .tags("rule", "batches", "reason", "invalid-event-time")
                        .counter()
                        .count());
    }

    @Test
    void aRuleWithoutTransformForwardsThePayloadItselfAsBefore() {
        Received plain = IngestHarness.message("devices/b-1/telemetry", "not json at all");
        List<Message<byte[]>> records = harness.ingest(plain);
        assertEquals(1, records.size());
        assertSame(plain.message.getPayload(), records.get(0).getPayload(), "the same bytes, not a copy");
        assertEquals(null, kafka(records.get(0)).getTimestamp(), "Kafka stamps it when written");
        assertEquals(-1, plain.heldBytes.get());
        records.get(0).ack();
        assertEquals(1, plain.acks.get());
        assertEquals(1, harness.count("edgebridge.telemetry.forwarded", "plain"));
        assertTrue(harness.registry
                .find("edgebridge.transform")
                .tag("rule", "plain")
                .timers()
                .isEmpty());
    }
}
