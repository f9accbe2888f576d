package io.edgebridge.mapping.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.mapping.TopicMatch;
import io.edgebridge.mapping.transform.TransformResult.Failed;
import io.edgebridge.mapping.transform.TransformResult.Filtered;
import io.edgebridge.mapping.transform.TransformResult.OutputRecord;
import io.edgebridge.mapping.transform.TransformResult.Records;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case in {@code src/test/resources/transform}: a rules file, a message (topic, registry attributes,
 * payload) and what must come out: records, filtered, a dead-letter reason with its detail, or the startup refusal.
 */
class TransformGoldenTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Stream<String> cases() throws IOException, URISyntaxException {
        Path folder =
                Path.of(TransformGoldenTest.class.getResource("/transform").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .sorted()
                    .toList();
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void goldenCase(String name) throws Exception {
        JsonNode golden = YAML.readTree(TransformGoldenTest.class.getResource("/transform/" + name));
        Path rulesFile = dir.resolve(name);
        YAML.writeValue(rulesFile.toFile(), YAML.createObjectNode().set("rules", golden.get("rules")));
        JsonNode expect = golden.get("expect");
        assertNotNull(expect, name + " has no 'expect'");
        if (expect.has("refused")) {
            String message = assertThrows(RulesLoader.InvalidRulesException.class, () -> RulesLoader.load(rulesFile))
                    .getMessage();
            assertEquals(
                    "rules file " + rulesFile + ": " + expect.get("refused").asText(), message);
            return;
        }
        TopicMatch match = new TopicMapper(RulesLoader.load(rulesFile)).match(text(golden, "topic"));
        assertNotNull(match, name + ": no rule matches the topic");
        TransformResult result = match.rule().transform().apply(payload(golden), variables(match, golden));
        assertTrue(result.nanos() >= 0);
        if (expect.has("records")) {
            assertRecords(expect.get("records"), assertInstanceOf(Records.class, result, result::toString));
        } else if (expect.has("filtered")) {
            assertEquals(
                    text(expect, "filtered"),
                    assertInstanceOf(Filtered.class, result, result::toString).cause());
        } else {
            Failed failed = assertInstanceOf(Failed.class, result, result::toString);
            assertEquals(text(expect, "failed"), failed.reason().code());
            assertEquals(text(expect, "detail"), failed.detail());
        }
    }

    private static void assertRecords(JsonNode expected, Records records) throws IOException {
        assertEquals(expected.size(), records.records().size(), records::toString);
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = expected.get(i);
            OutputRecord record = records.records().get(i);
            // Compared as JSON text parsed again, so 100 written by JSLT as a long equals 100 read from YAML.
            JsonNode wantValue = JSON.readTree(JSON.writeValueAsBytes(want.get("value")));
            assertEquals(wantValue, JSON.readTree(record.json()), "record " + i);
            assertEquals(JSON.readTree(JSON.writeValueAsBytes(record.value())), JSON.readTree(record.json()));
            if (want.hasNonNull("event-time")) {
                assertEquals(Instant.parse(text(want, "event-time")), record.eventTime(), "record " + i);
            } else {
                assertNull(record.eventTime(), "record " + i);
            }
        }
    }

    /** {@code payload} as YAML, or {@code payload-json} as the exact JSON text a device would send. */
    private static JsonNode payload(JsonNode golden) throws IOException {
        return golden.has("payload-json") ? JSON.readTree(text(golden, "payload-json")) : golden.get("payload");
    }

    /** Topic segments first, then the device's registry attributes, as the bridge provides them. */
    private static Function<String, String> variables(TopicMatch match, JsonNode golden) {
        Map<String, String> attributes = golden.has("attributes")
                ? JSON.convertValue(
                        golden.get("attributes"),
                        JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class))
                : Map.of();
        MappingRule rule = match.rule();
        return name -> rule.mqttTopic().indexOf(name) >= 0 ? match.segment(name) : attributes.get(name);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        assertNotNull(value, "missing '" + field + "'");
        return value.asText();
    }
}
