package io.edgebridge.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code try} in the packaged jar, as an operator runs it: the example of docs/transform.md pasted into a shell, a
 * dead letter, a refused rules file. No broker is started, none is needed, and the bridge itself does not start.
 */
class TryCommandIT {

    static final Path DOC = Path.of("docs", "transform.md");
    static final Duration LIMIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    Path dir;

    /** What a finished process left: its exit status, what it printed, and how long it took. */
    record Finished(int exit, String out, String err, Duration took) {}

    @BeforeEach
    void directory() throws IOException {
        dir = Files.createDirectories(
                Path.of("target", "try-it", "run-" + System.nanoTime()).toAbsolutePath());
    }

    private Finished run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("BRIDGE_") || key.startsWith("QUARKUS_"));
        builder.environment()
                .put(
                        "PATH",
                        Path.of(System.getProperty("java.home"), "bin") + ":"
                                + builder.environment().get("PATH"));
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS), "finished within " + LIMIT);
        } finally {
            Processes.stop(process, Duration.ofSeconds(5));
        }
        return new Finished(
                process.exitValue(),
                Files.readString(out),
                Files.readString(err),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private Finished tryJar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                BridgeProcess.JAR.toAbsolutePath().toString(),
                "try"));
        command.addAll(List.of(args));
        return run(command);
    }

    /** The first fenced block of {@code language} after {@code heading} in docs/transform.md. */
    private static String block(String heading, String language) throws IOException {
        String doc = Files.readString(DOC);
        int section = doc.indexOf(heading);
        assertTrue(section >= 0, heading + " in " + DOC);
        Matcher fence = Pattern.compile("(?ms)^```" + language + "\\n(.*?)^```").matcher(doc);
        assertTrue(fence.find(section), "a " + language + " block after " + heading);
        return fence.group(1);
    }

    private static void withoutEventIds(JsonNode report) {
        report.get("records").forEach(record -> ((ObjectNode) record.get("headers")).remove("ce_id"));
    }

    @Test
    void theDocumentedExamplePrintsWhatTheDocumentationShows() throws Exception {
        Path app = Files.createDirectories(dir.resolve("target")).resolve("quarkus-app");
        Files.createSymbolicLink(app, BridgeProcess.JAR.toAbsolutePath().getParent());
        String heading = "## Try a rules file before deploying it";
        Finished finished = run(List.of("bash", "-euo", "pipefail", "-c", block(heading, "bash")));
        assertEquals(0, finished.exit(), finished.err() + finished.out());

        JsonNode printed = JSON.readTree(finished.out());
        assertEquals(2, printed.get("records").size(), finished.out());
        assertFalse(printed.get("records")
                .get(0)
                .get("headers")
                .get("ce_id")
                .asText()
                .isEmpty());
        // The documentation shows the first record and elides the second.
        JsonNode documented = JSON.readTree(block(heading, "json").replace("}, ...", "} ] }"));
        withoutEventIds(printed);
        withoutEventIds(documented);
        ((ArrayNode) printed.get("records")).remove(1);
        assertEquals(documented, printed);
        assertFalse(finished.out().contains("Listening on"), "no bridge started");
        System.out.printf(
                "try: the documented example took %d ms%n", finished.took().toMillis());
    }

    @Test
    void aDeadLetterExitsOneAndARefusedRulesFileTwoNamingTheRuleAndPosition() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: convert
                    mqtt-topic: devices/{deviceId}/data
                    kafka-topic: data
                    format: json
                    transform:
                      jslt: '{"celsius": (.f - 32) * 5 / 9}'
                """);
        Finished dead =
                tryJar("--rules", rules.toString(), "--topic", "devices/d-1/data", "--payload", "{\"f\": \"hot\"}");
        assertEquals(1, dead.exit(), dead.err());
        JsonNode report = JSON.readTree(dead.out());
        assertEquals("transform-error", report.get("reason").asText());
        assertEquals(
                "number(hot) failed: not a number at jslt:1:14",
                report.get("cause").asText());

        Files.writeString(rules, Files.readString(rules).replace("* 5 / 9}", "* 5 / 9"));
        Finished refused = tryJar("--rules", rules.toString(), "--topic", "devices/d-1/data", "--payload", "{}");
        assertEquals(2, refused.exit(), refused.err());
        String problem = JSON.readTree(refused.out()).get("problem").asText();
        assertTrue(
                problem.startsWith("rules file " + rules + ": rules[0] 'convert': transform: 'jslt' line 1, column"),
                problem);
        assertTrue(refused.err().contains(problem), refused.err());
        String usage = tryJar("--payload", "{}").err();
        assertTrue(usage.contains("--topic is required"), usage);
    }
}
