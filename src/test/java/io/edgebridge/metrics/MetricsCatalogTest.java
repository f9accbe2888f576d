package io.edgebridge.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.testkit.RealBrokersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The metric table in docs/operations.md is what the bridge serves, and what it serves passes promtool's lint. */
@QuarkusTest
@QuarkusTestResource(value = RealBrokersResource.class, restrictToAnnotatedClass = true)
class MetricsCatalogTest {

    private static final Path CATALOG = Path.of("docs", "operations.md");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `(edgebridge_[a-z_]+)` \\| (\\w+) \\|");
    private static final Pattern TYPE_LINE = Pattern.compile("^# TYPE (edgebridge_[a-z_]+) (\\w+)$");
    private static final Pattern HELP_LINE = Pattern.compile("^# HELP (edgebridge_[a-z_]+) (.*)$");

    private static String classicText() {
        return given().header("Accept", "text/plain; version=0.0.4")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    @Test
    void documentedTableMatchesTheServedMetricFamilies() throws Exception {
        Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(CATALOG)) {
            Matcher row = TABLE_ROW.matcher(line);
            if (row.find()) {
                documented.put(row.group(1), row.group(2));
            }
        }
        Map<String, String> served = new TreeMap<>();
        Map<String, String> help = new TreeMap<>();
        for (String line : classicText().split("\n")) {
            Matcher type = TYPE_LINE.matcher(line);
            if (type.find()) {
                served.put(type.group(1), type.group(2));
            }
            Matcher helpLine = HELP_LINE.matcher(line);
            if (helpLine.find()) {
                help.put(helpLine.group(1), helpLine.group(2));
            }
        }
        assertTrue(documented.size() >= 10, CATALOG + " table found: " + documented);
        assertEquals(documented, served, CATALOG + " metric table vs /q/metrics");
        help.forEach((name, text) -> assertTrue(text.length() > 10, name + " has help text"));
    }

    @Test
    void grafanaDashboardQueriesOnlySeriesTheBridgeServes() throws Exception {
        JsonNode dashboard = new ObjectMapper()
                .readTree(Path.of("deploy", "grafana", "edge-bridge.json").toFile());
        Set<String> served = new TreeSet<>();
        for (String line : classicText().split("\n")) {
            Matcher type = TYPE_LINE.matcher(line);
            if (type.find()) {
                served.add(type.group(1));
            }
        }
        Pattern metric = Pattern.compile("edgebridge_[a-z_]+");
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertTrue(panel.get("targets").size() > 0, panel.get("title").asText() + " has queries");
            for (JsonNode target : panel.get("targets")) {
                Matcher m = metric.matcher(target.get("expr").asText());
                while (m.find()) {
                    String name = m.group().replaceAll("_(bucket|count|sum)$", "");
                    assertTrue(
                            served.contains(name),
                            name + " in panel '" + panel.get("title").asText() + "' is not served by the bridge");
                    used.add(name);
                }
            }
        }
        for (String essential : List.of(
                "edgebridge_telemetry_forwarded_total",
                "edgebridge_telemetry_latency_seconds",
                "edgebridge_telemetry_dead_lettered_total",
                "edgebridge_telemetry_in_flight",
                "edgebridge_broker_connected")) {
            assertTrue(used.contains(essential), "the dashboard shows " + essential);
        }
    }

    @Test
    void promtoolAcceptsTheBridgeSeries() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assertTrue(
                Files.isExecutable(promtool),
                "promtool missing: install Debian's prometheus package (./mvnw verify does as root)");
        StringBuilder ours = new StringBuilder();
        for (String line : classicText().split("\n")) {
            if (line.startsWith("edgebridge_")
                    || line.startsWith("# HELP edgebridge_")
                    || line.startsWith("# TYPE edgebridge_")) {
                ours.append(line).append('\n');
            }
        }
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        check.getOutputStream().write(ours.toString().getBytes(StandardCharsets.UTF_8));
        check.getOutputStream().close();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), "promtool check metrics:\n" + output);
        assertTrue(output.isBlank(), "no lint findings:\n" + output);
    }
}
