package io.edgebridge.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.telemetry.IngestHarness.Received;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Whatever the rule's transform and the payload, and whatever Kafka answers per record, every MQTT message ends up
 * exactly once as forwarded, filtered or dead-lettered, and is acknowledged exactly once; or, when Kafka refused any
 * of its records, refused exactly once (the broker sends it again) and counted as none of them.
 */
class IngestInvariantPropertiesTest {

    private static final Path DIR = temporaryDirectory();

    private static Path temporaryDirectory() {
        try {
            Path dir = Files.createTempDirectory("ingest-invariant");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A transform block built from parts: a condition, an expression, an event-time pointer and the limits. */
    record Block(String when, String jslt, String eventTime, int maxRecords, int maxOutputBytes) {
        String yaml() {
            StringBuilder block = new StringBuilder("    transform:\n");
            if (when != null) {
                block.append("      when: '").append(when).append("'\n");
            }
            if (jslt != null) {
                block.append("      jslt: '").append(jslt).append("'\n");
            }
            if (eventTime != null) {
                block.append("      event-time: ").append(eventTime).append('\n');
            }
            block.append("      max-records: ").append(maxRecords).append('\n');
            return block.append("      max-output-bytes: ")
                    .append(maxOutputBytes)
                    .append('\n')
                    .toString();
        }
    }

    @Provide
    Arbitrary<Block> blocks() {
        Arbitrary<String> when = Arbitraries.frequency(
                Tuple.of(6, null),
                Tuple.of(1, "true"),
                Tuple.of(2, ".keep != false"),
                Tuple.of(1, "size(.items) > 1"),
                Tuple.of(1, "is-array(.items)"),
                Tuple.of(1, ".n"));
        Arbitrary<String> jslt = Arbitraries.frequency(
                Tuple.of(1, null),
                Tuple.of(1, "."),
                Tuple.of(5, "[for (.items) {\"v\": ., \"d\": $deviceId}]"),
                Tuple.of(2, "[for (.items) {\"v\": ., \"ts\": .}]"),
                Tuple.of(1, ".items"),
                Tuple.of(1, "{\"n\": number(.n) * 2, \"site\": $site}"),
                Tuple.of(1, "[]"),
                Tuple.of(1, "[for (.items) .]"),
                Tuple.of(1, "{\"ts\": .ts, \"all\": .}"));
        Arbitrary<String> eventTime = Arbitraries.frequency(Tuple.of(5, null), Tuple.of(1, "/ts"), Tuple.of(1, "/v"));
        return Combinators.combine(
                        when,
                        jslt,
                        eventTime,
                        Arbitraries.integers()
                                .between(1, 8)
                                .withDistribution(RandomDistribution.uniform())
                                .withoutEdgeCases(),
                        Arbitraries.integers().between(60, 800))
                .as(Block::new)
                .filter(b -> b.when() != null || b.jslt() != null || b.eventTime() != null);
    }

    @Provide
    Arbitrary<String> payloads() {
        Arbitrary<String> item = Arbitraries.oneOf(
                Arbitraries.longs().between(-5, 1_800_000_000_000L).map(String::valueOf),
                Arbitraries.strings().alpha().ofMaxLength(6).map(s -> "\"" + s + "\""),
                Arbitraries.of("{\"v\": 1}", "{\"ts\": \"2024-05-01T12:00:00Z\"}", "null", "true", "[1]"));
        Arbitrary<String> items = item.list()
                .ofMaxSize(6)
                .withSizeDistribution(RandomDistribution.uniform())
                .map(list -> "[" + String.join(",", list) + "]");
        Arbitrary<String> object = Combinators.combine(
                        items,
                        Arbitraries.of("true", "false", "null", "3", "\"x\""),
                        Arbitraries.of("1714564800000", "\"2024-05-01T12:00:00Z\"", "-1", "\"soon\""))
                .as((list, keep, ts) ->
                        "{\"items\": " + list + ", \"keep\": " + keep + ", \"n\": " + keep + ", \"ts\": " + ts + "}");
        Arbitrary<String> broken = Arbitraries.strings().ofMaxLength(20);
        return Arbitraries.frequencyOf(Tuple.of(10, object), Tuple.of(2, items), Tuple.of(1, broken));
    }

    @Property(tries = 400)
    void everyMessageIsForwardedFilteredOrDeadLetteredExactlyOnce(
            @ForAll("blocks") Block block,
            @ForAll("payloads") String payload,
            @ForAll("answers") List<Boolean> kafkaAccepts)
            throws Exception {
        String rules = """
                rules:
                  - name: generated
                    mqtt-topic: devices/{deviceId}/data
                    kafka-topic: data
                    format: json
                """ + block.yaml();
        IngestHarness harness = new IngestHarness(DIR, rules, Map.of("d-1", Map.of("site", "s")));
        Received message = new Received(
                "devices/d-1/data", payload.getBytes(StandardCharsets.UTF_8), kafkaAccepts.size() % 2 == 0);
        List<Message<byte[]>> records = harness.ingest(message);
        assertTrue(records.size() <= block.maxRecords(), "at most max-records records");
        boolean refused = false;
        for (int i = 0; i < records.size(); i++) {
            boolean accepted = kafkaAccepts.get(i % kafkaAccepts.size());
            refused |= !accepted;
            if (accepted) {
                records.get(i).ack();
            } else {
                records.get(i).nack(new IllegalStateException("refused by the test's Kafka"));
            }
        }
        double forwarded = harness.count("edgebridge.telemetry.forwarded");
        double filtered = harness.count("edgebridge.telemetry.filtered");
        double deadLettered = harness.count("edgebridge.telemetry.dead.lettered");
        assertEquals(1, harness.count("edgebridge.telemetry.received"));
        if (refused) {
            assertEquals(0, message.acks.get());
            assertEquals(1, message.nacks.get(), "refused once, for the broker to send again");
            assertEquals(0, forwarded + filtered + deadLettered, "not counted until it is settled");
            Statistics.label("outcome")
                    .collect("refused, of " + Math.min(records.size(), 3) + (records.size() > 3 ? "+" : ""));
            return;
        }
        assertEquals(1, message.acks.get(), "acknowledged exactly once");
        assertEquals(0, message.nacks.get());
        assertEquals(1, forwarded + filtered + deadLettered, "in = forwarded + filtered + dead-lettered");
        boolean notJson = harness.registry
                        .find("edgebridge.telemetry.dead.lettered")
                        .tag("reason", "invalid-json")
                        .counter()
                        .count()
                > 0;
        assertEquals(notJson ? 0 : 1, harness.transformTimings("generated"), "the transform's time is recorded");
        if (forwarded == 1) {
            assertEquals(records.size(), harness.count("edgebridge.transform.records"));
        }
        Statistics.label("outcome")
                .collect(
                        forwarded == 1
                                ? "forwarded " + Math.min(records.size(), 3) + (records.size() > 3 ? "+" : "")
                                : filtered == 1 ? "filtered" : "dead letter " + reason(records.get(0)));
    }

    private static String reason(Message<byte[]> deadLetter) {
        return new String(
                deadLetter
                        .getMetadata(OutgoingKafkaRecordMetadata.class)
                        .orElseThrow()
                        .getHeaders()
                        .lastHeader("dead-letter-reason")
                        .value(),
                StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<List<Boolean>> answers() {
        return Arbitraries.frequency(Tuple.of(12, true), Tuple.of(1, false))
                .list()
                .ofMinSize(1)
                .ofMaxSize(4);
    }
}
