package io.edgebridge.mapping.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.edgebridge.mapping.transform.TransformResult.Failed;
import io.edgebridge.mapping.transform.TransformResult.Filtered;
import io.edgebridge.mapping.transform.TransformResult.OutputRecord;
import io.edgebridge.mapping.transform.TransformResult.Reason;
import io.edgebridge.mapping.transform.TransformResult.Records;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever the payload, every evaluation answers exactly one of records, filtered or failed, within the limits,
 * and never throws: a message cannot leave the bridge unaccounted for.
 */
class TransformPropertiesTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final List<Transform> TRANSFORMS = List.of(
            // the example of docs/transform.md
            Transform.compile(new TransformSpec(
                    ".test != true",
                    "[for (.readings) {\"device\": $deviceId, \"site\": $site, \"celsius\": (.f - 32) * 5 / 9,"
                            + " \"ts\": .ts}]",
                    "/ts",
                    100,
                    TransformSpec.DEFAULT_MAX_OUTPUT_BYTES)),
            // the payload itself, with small limits
            Transform.compile(new TransformSpec(null, ".", null, 3, 200)),
            Transform.compile(new TransformSpec(null, null, "/t", 5, 1000)),
            // strings, numbers and regexes on whatever the payload holds
            Transform.compile(new TransformSpec(
                    "not(test(string(.), \"(.*a){12}\"))",
                    "{\"s\": split(string(.), \"a+\"), \"r\": replace(string(.), \"[0-9]\", \"##\"),"
                            + " \"j\": join([for (array(.)) string(.)], \"-\"), \"n\": number(.x, 0) * 3,"
                            + " \"c\": capture(string(.), \"(?<k>[a-z]+)\"), \"t\": .t}",
                    "/t",
                    10,
                    300)),
            Transform.compile(new TransformSpec(
                    "is-object(.) or is-array(.)",
                    "if (is-array(.)) [for (.) {\"e\": ., \"ts\": 1714564800000}] else [., ., {\"size\": size(.)}]",
                    null,
                    10,
                    TransformSpec.DEFAULT_MAX_OUTPUT_BYTES)));

    @Property(tries = 300)
    void everyEvaluationEndsInExactlyOneAnswer(
            @ForAll("payloads") JsonNode payload, @ForAll("attributes") Map<String, String> variables) {
        for (Transform transform : TRANSFORMS) {
            TransformResult result = transform.apply(payload, variables::get);
            assertNotNull(result);
            int answers = (result instanceof Records ? 1 : 0)
                    + (result instanceof Filtered ? 1 : 0)
                    + (result instanceof Failed ? 1 : 0);
            assertEquals(1, answers, result::toString);
            assertTrue(result.nanos() >= 0);
            Statistics.label("outcome").collect(outcome(result));
            if (result instanceof Records records) {
                assertWithinLimits(transform.spec(), records);
            } else if (result instanceof Failed failed) {
                assertNotNull(failed.reason());
                assertFalse(failed.detail().isBlank());
                assertTrue(failed.detail().length() <= Transform.MAX_DETAIL + 3, failed.detail());
            }
        }
        // The generated payloads reach every answer, or the property would prove little.
        Statistics.label("outcome").coverage(coverage -> {
            for (String outcome : List.of(
                    "records",
                    "filtered",
                    Reason.TRANSFORM_ERROR.code(),
                    Reason.INVALID_TRANSFORM_OUTPUT.code(),
                    Reason.INVALID_EVENT_TIME.code())) {
                coverage.check(outcome).count(n -> n > 0);
            }
        });
    }

    private static String outcome(TransformResult result) {
        if (result instanceof Failed failed) {
            return failed.reason().code();
        }
        return result instanceof Records ? "records" : "filtered";
    }

    private static void assertWithinLimits(TransformSpec spec, Records records) {
        List<OutputRecord> list = records.records();
        assertFalse(list.isEmpty());
        assertTrue(list.size() <= spec.maxRecords());
        int bytes = 0;
        for (OutputRecord record : list) {
            assertTrue(record.value().isObject());
            assertEquals(spec.eventTime() != null, record.eventTime() != null);
            bytes += record.json().length;
        }
        assertTrue(bytes <= spec.maxOutputBytes());
    }

    @Provide
    Arbitrary<Map<String, String>> attributes() {
        return Arbitraries.maps(
                        Arbitraries.of("deviceId", "site", "model"),
                        Arbitraries.strings().ofMaxLength(8))
                .ofMaxSize(3);
    }

    @Provide
    Arbitrary<JsonNode> payloads() {
        return Arbitraries.oneOf(json(3), batches());
    }

    /** Payloads shaped like the example's, with values that are sometimes wrong. */
    private Arbitrary<JsonNode> batches() {
        Arbitrary<JsonNode> reading = Arbitraries.maps(Arbitraries.of("f", "ts", "t", "x"), scalars())
                .ofMaxSize(4)
                .map(this::object);
        return Arbitraries.oneOf(reading.list().ofMaxSize(120).map(this::array), scalars())
                .flatMap(readings -> scalars().map(test -> {
                    ObjectNode batch = NODES.objectNode();
                    batch.set("readings", readings);
                    batch.set("test", test);
                    return batch;
                }));
    }

    private Arbitrary<JsonNode> json(int depth) {
        if (depth == 0) {
            return scalars();
        }
        Arbitrary<JsonNode> child = Arbitraries.lazy(() -> json(depth - 1));
        Arbitrary<String> keys = Arbitraries.oneOf(
                Arbitraries.of("readings", "f", "ts", "t", "test", "x", "a"),
                Arbitraries.strings().ofMaxLength(6));
        return Arbitraries.frequencyOf(
                Tuple.of(3, scalars()),
                Tuple.of(2, child.list().ofMaxSize(6).map(this::array)),
                Tuple.of(3, Arbitraries.maps(keys, child).ofMaxSize(6).map(this::object)));
    }

    private Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.just(NullNode.instance),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE),
                Arbitraries.longs().map(LongNode::valueOf),
                Arbitraries.longs().between(-5, 253_402_400_000_000L).map(LongNode::valueOf),
                Arbitraries.doubles()
                        .withSpecialValue(Double.NaN)
                        .withSpecialValue(Double.POSITIVE_INFINITY)
                        .map(DoubleNode::valueOf),
                Arbitraries.strings().ofMaxLength(30).map(TextNode::valueOf),
                Arbitraries.of(
                                "2024-05-01T12:00:00Z",
                                "2024-05-01T14:00:00.5+02:00",
                                "1969-12-31T23:59:59Z",
                                "1714564800000",
                                "aaaaaaaaaaaaaaaaaaaaaaaaa",
                                "12.5e3",
                                "-",
                                "")
                        .map(TextNode::valueOf));
    }

    private JsonNode array(List<JsonNode> elements) {
        ArrayNode array = NODES.arrayNode();
        array.addAll(elements);
        return array;
    }

    private JsonNode object(Map<String, JsonNode> fields) {
        ObjectNode object = NODES.objectNode();
        object.setAll(fields);
        return object;
    }
}
