package io.edgebridge.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgebridge.config.UnknownDevicePolicy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case in {@code src/test/resources/records}: a rules file, a registry, one message, and the Kafka
 * records the bridge writes for it (topic, key, timestamp, headers, value) or why it writes none. The event id is
 * random per process, so it is checked for presence and left out of the comparison.
 */
class RecordGoldenTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Stream<String> cases() throws IOException, URISyntaxException {
        Path folder = Path.of(RecordGoldenTest.class.getResource("/records").toURI());
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
        JsonNode golden = YAML.readTree(RecordGoldenTest.class.getResource("/records/" + name));
        Path rules = dir.resolve("rules.yaml");
        YAML.writeValue(rules.toFile(), YAML.createObjectNode().set("rules", golden.get("rules")));
        Path registry = null;
        if (golden.has("registry")) {
            registry = dir.resolve("registry.yaml");
            YAML.writeValue(registry.toFile(), golden.get("registry"));
        }
        UnknownDevicePolicy unknown =
                golden.path("unknown-devices").asText("accept").equals("reject")
                        ? UnknownDevicePolicy.REJECT
                        : UnknownDevicePolicy.ACCEPT;
        DryRun.Settings settings = new DryRun.Settings(
                unknown,
                DryRun.Settings.DEFAULTS.maxPayloadBytes(),
                DryRun.Settings.DEFAULTS.maxDeviceIdLength(),
                DryRun.Settings.DEFAULTS.deadLetterTopic());
        DryRun.Report report = DryRun.of(rules, registry, settings)
                .run(golden.get("topic").asText(), payload(golden), receivedAt(golden));

        JsonNode actual = withoutEventIds(report.json());
        JsonNode expected = JSON.readTree(JSON.writeValueAsBytes(golden.get("expect")));
        assertEquals(expected, JSON.readTree(JSON.writeValueAsBytes(actual)), name);
        assertEquals(expected.get("outcome").asText().equals("dead-lettered") ? 1 : 0, report.exitCode());
    }

    /** Each record's {@code ce_id} header (or, structured, the event's {@code id}) exists and is then removed. */
    private static JsonNode withoutEventIds(JsonNode report) {
        ObjectNode copy = report.deepCopy();
        for (JsonNode record : copy.path("records")) {
            ObjectNode headers = (ObjectNode) record.get("headers");
            if (headers.has("dead-letter-reason")) {
                continue;
            }
            JsonNode value = record.get("value");
            JsonNode id = headers.has("ce_id") ? headers.remove("ce_id") : ((ObjectNode) value).remove("id");
            assertNotNull(id, "every event has an id: " + record);
            assertFalse(id.asText().isEmpty());
        }
        return copy;
    }

    private static byte[] payload(JsonNode golden) throws IOException {
        if (golden.has("payload-json")) {
            return golden.get("payload-json").asText().getBytes(StandardCharsets.UTF_8);
        }
        if (golden.has("payload-text")) {
            return golden.get("payload-text").asText().getBytes(StandardCharsets.UTF_8);
        }
        return JSON.writeValueAsBytes(golden.get("payload"));
    }

    private static Instant receivedAt(JsonNode golden) {
        return Instant.parse(golden.path("received-at").asText("2024-05-01T12:05:00Z"));
    }
}
