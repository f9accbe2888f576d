package io.edgebridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code try}: a rules file and one message in, the records or the dead letter out as JSON, and an exit code. */
class TryCommandTest {

    static final String RULES = """
            rules:
              - name: batches
                mqtt-topic: devices/{deviceId}/batch
                kafka-topic: readings
                format: json
                transform:
                  when: '.test != true'
                  jslt: |
                    [for (.readings) {"device": $deviceId, "site": $site, "celsius": (.f - 32) * 5 / 9, "ts": .ts}]
                  event-time: /ts
            """;

    static final String BATCH =
            "{\"readings\": [{\"f\": 212, \"ts\": 1714564800000}, {\"f\": 32, \"ts\": 1714564860000}]}";

    @TempDir
    Path dir;

    Path rules;
    Path registry;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void files() throws Exception {
        rules = Files.writeString(dir.resolve("rules.yaml"), RULES);
        registry = Files.writeString(dir.resolve("registry.yaml"), "devices:\n  boiler-7: {site: berlin}\n");
    }

    private int run(Map<String, String> env, String stdin, String... args) {
        return TryCommand.run(
                args,
                env,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int run(String... args) {
        return run(Map.of(), "", args);
    }

    private JsonNode printed() throws Exception {
        return new ObjectMapper().readTree(out.toByteArray());
    }

    @Test
    void aBatchPrintsItsRecordsAndExitsZero() throws Exception {
        int exit = run(
                "--rules",
                rules.toString(),
                "--registry",
                registry.toString(),
                "--topic",
                "devices/boiler-7/batch",
                "--payload",
                BATCH);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        JsonNode report = printed();
        assertEquals("forwarded", report.get("outcome").asText());
        assertEquals(2, report.get("records").size());
        JsonNode first = report.get("records").get(0);
        assertEquals("readings", first.get("topic").asText());
        assertEquals("boiler-7", first.get("key").asText());
        assertEquals("2024-05-01T12:00:00Z", first.get("timestamp").asText());
        assertEquals("2024-05-01T12:00:00Z", first.get("headers").get("ce_time").asText());
        assertEquals("berlin", first.get("headers").get("ce_site").asText());
        assertEquals(100, first.get("value").get("celsius").asInt());
        assertEquals(0, report.get("records").get(1).get("value").get("celsius").asInt());
    }

    @Test
    void aFilteredMessageExitsZeroSayingWhy() throws Exception {
        String payload = "{\"test\": true}";
        assertEquals(0, run("--rules", rules.toString(), "--topic", "devices/b/batch", "--payload", payload));
        assertEquals("filtered", printed().get("outcome").asText());
        assertEquals("'when' is false", printed().get("cause").asText());
    }

    @Test
    void aDeadLetterExitsOneWithItsReasonAndTheOriginalPayload() throws Exception {
        String payload = "{\"readings\": [{\"f\": 1}]}";
        assertEquals(1, run("--rules", rules.toString(), "--topic", "devices/b/batch", "--payload", payload));
        JsonNode report = printed();
        assertEquals("dead-lettered", report.get("outcome").asText());
        assertEquals("invalid-event-time", report.get("reason").asText());
        assertEquals("/ts is missing", report.get("cause").asText(), "one record: no index");
        JsonNode record = report.get("records").get(0);
        assertEquals("device-telemetry-dlq", record.get("topic").asText());
        assertEquals(new ObjectMapper().readTree(payload), record.get("value"));
    }

    @Test
    void aBrokenRulesFileExitsTwoNamingTheFileTheRuleAndThePosition() throws Exception {
        Files.writeString(rules, RULES.replace("\"ts\": .ts}]", "\"ts\": .ts]"));
        assertEquals(2, run("--rules", rules.toString(), "--topic", "devices/b/batch", "--payload", BATCH));
        String problem = printed().get("problem").asText();
        assertTrue(
                problem.startsWith("rules file " + rules + ": rules[0] 'batches': transform: 'jslt' line 1, column "),
                problem);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(problem));
    }

    @Test
    void theBridgesEnvironmentGivesTheDefaultsAndStdinThePayload() throws Exception {
        int exit = run(
                Map.of("BRIDGE_RULES_FILE", rules.toString(), "BRIDGE_TELEMETRY_MAX_PAYLOAD_BYTES", "10"),
                BATCH,
                "--topic",
                "devices/boiler-7/batch",
                "--payload-file",
                "-");
        assertEquals(1, exit);
        assertEquals("payload-too-large", printed().get("reason").asText(), "the bridge's limit from its variable");
    }

    @Test
    void wrongUsageExits64WithTheUsage() {
        assertEquals(64, run("--rules", rules.toString(), "--payload", "{}"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--topic is required"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: java -jar quarkus-run.jar try"));
        assertEquals(64, run("--topic", "a/b", "--payload", "{}", "--colour", "red"));
        assertEquals(64, run("--topic", "a/b", "--payload", "{}", "--max-payload-bytes", "-1"));
    }

    @Test
    void withoutARulesFileTheBuiltInRuleApplies() throws Exception {
        assertEquals(0, run("--topic", "devices/d-1/telemetry", "--payload", "21.5"));
        assertEquals(
                "device-telemetry", printed().get("records").get(0).get("topic").asText());
    }
}
