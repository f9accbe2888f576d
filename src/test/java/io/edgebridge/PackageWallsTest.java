package io.edgebridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The walls between the packages of src/main (docs/architecture.md, "Walls"): which of our packages each may import.
 * The root package's shared names ({@code Channels}, {@code KafkaHeaders}) are open to all. An entry such as
 * {@code telemetry.RuleExtension} allows that one type (and its nested types), not its package.
 */
class PackageWallsTest {

    static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
            Map.entry("", Set.of()),
            Map.entry("config", Set.of()),
            Map.entry("mapping", Set.of("mapping.transform")),
            Map.entry("mapping.transform", Set.of()),
            Map.entry("health", Set.of("config")),
            Map.entry("metrics", Set.of("health")),
            Map.entry("registry", Set.of("config", "mapping", "metrics")),
            Map.entry("telemetry", Set.of("config", "mapping", "mapping.transform", "metrics", "registry")),
            Map.entry(
                    "command",
                    Set.of("config", "mapping", "metrics", "telemetry.RuleExtension", "telemetry.Telemetry")),
            Map.entry("api", Set.of("command", "config", "mapping")),
            Map.entry("cluster", Set.of("config", "health", "metrics")),
            Map.entry("cli", Set.of("config", "mapping", "registry", "telemetry")),
            Map.entry(
                    "mqtt",
                    Set.of(
                            "config",
                            "health",
                            "mapping",
                            "metrics",
                            "mqtt.client",
                            "telemetry.MqttReceived",
                            "telemetry.HeldBytes",
                            "telemetry.RulesInForce",
                            "telemetry.SubscriptionChanges",
                            "telemetry.FilterChange",
                            "command.CommandPublisher",
                            "cluster.ShardOwnership",
                            "cluster.ShardListener")),
            Map.entry("mqtt.client", Set.of()));

    private static final Path SOURCES = Path.of("src", "main", "java", "io", "edgebridge");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+io\\.edgebridge(?:\\.([\\w.]+))?\\s*;");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?io\\.edgebridge\\.([\\w.]+)\\s*;");

    /** What in {@code lines} (one source file) crosses a wall, each naming the file and the import. */
    static List<String> violations(Path file, List<String> lines) {
        String from = null;
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            Matcher pkg = PACKAGE.matcher(line.strip());
            if (pkg.find()) {
                from = pkg.group(1) == null ? "" : pkg.group(1);
                if (!MAY_IMPORT.containsKey(from)) {
                    found.add(file + ": package io.edgebridge." + from + " has no wall yet; add its rule to"
                            + " docs/architecture.md and PackageWallsTest");
                    return found;
                }
                continue;
            }
            Matcher imp = IMPORT.matcher(line.strip());
            if (imp.find() && from != null && !allowed(from, imp.group(1))) {
                found.add(file + ": " + line.strip() + " (" + (from.isEmpty() ? "the root package" : from)
                        + " may import " + (MAY_IMPORT.get(from).isEmpty() ? "nothing of ours" : MAY_IMPORT.get(from))
                        + ")");
            }
        }
        return found;
    }

    /** {@code target} is what follows {@code io.edgebridge.} in the import. */
    private static boolean allowed(String from, String target) {
        String[] parts = target.split("\\.");
        int type = 0;
        while (type < parts.length && !Character.isUpperCase(parts[type].charAt(0))) {
            type++;
        }
        if (type == 0) {
            return true; // the root package: shared names
        }
        String pkg = String.join(".", Arrays.copyOf(parts, type));
        if (pkg.equals(from) || (pkg + ".").startsWith(from + ".") && !MAY_IMPORT.containsKey(pkg)) {
            return true; // its own package
        }
        Set<String> allowed = MAY_IMPORT.get(from);
        return allowed.contains(pkg) || (type < parts.length && allowed.contains(pkg + "." + parts[type]));
    }

    /** An import line of ours, written in two parts so the style check does not take it for an inline name. */
    private static String importOf(String target) {
        return "import io.edgebridge." + target + ";";
    }

    private static String staticImportOf(String target) {
        return "import static io.edgebridge." + target + ";";
    }

    @Test
    void noSourceFileCrossesAWall() throws IOException {
        List<String> found = new ArrayList<>();
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                found.addAll(violations(file, Files.readAllLines(file)));
                packages.add(SOURCES.relativize(file.getParent()).toString());
            }
        }
        assertEquals(List.of(), found, "imports across the walls of docs/architecture.md");
        assertTrue(
                packages.containsAll(Set.of("api", "cluster", "command", "config", "mapping", "mqtt", "telemetry")),
                "scanned");
    }

    @Test
    void theCheckerCatchesAForbiddenImportNamingFileAndImport() {
        Path file = SOURCES.resolve("telemetry").resolve("Fabricated.java");
        List<String> found = violations(
                file,
                List.of(
                        "package io.edgebridge.telemetry;",
                        "",
                        importOf("KafkaHeaders"),
                        importOf("mapping.TopicMapper"),
                        importOf("command.CommandTracker"),
                        staticImportOf("mqtt.Backoff.onContext")));
        assertEquals(2, found.size(), found.toString());
        assertTrue(found.get(0).startsWith(file + ": " + importOf("command.CommandTracker")), found.get(0));
        assertTrue(found.get(1).contains(staticImportOf("mqtt.Backoff.onContext")), found.get(1));
    }

    @Test
    void aTypeAllowanceOpensThatTypeOnlyNotItsPackage() {
        Path file = SOURCES.resolve("mqtt").resolve("Fabricated.java");
        List<String> found = violations(
                file,
                List.of(
                        "package io.edgebridge.mqtt;",
                        importOf("command.CommandPublisher"),
                        importOf("command.CommandPublisher.Outcome"),
                        importOf("telemetry.MqttReceived"),
                        importOf("command.CommandTracker"),
                        importOf("telemetry.TelemetryIngestor")));
        assertEquals(2, found.size(), found.toString());
        assertTrue(found.get(0).contains("command.CommandTracker"), found.get(0));
        assertTrue(found.get(1).contains("telemetry.TelemetryIngestor"), found.get(1));
    }

    @Test
    void clusterReachesNoFlowAndMqttSeesOnlyItsPort() {
        List<String> found = violations(
                SOURCES.resolve("cluster").resolve("Fabricated.java"),
                List.of(
                        "package io.edgebridge.cluster;",
                        importOf("config.BridgeConfig"),
                        importOf("health.OwnedShards"),
                        importOf("metrics.BridgeMetrics"),
                        importOf("mqtt.EdgeMqttConnector"),
                        importOf("telemetry.TelemetryIngestor")));
        assertEquals(2, found.size(), found.toString());
        List<String> mqtt = violations(
                SOURCES.resolve("mqtt").resolve("Fabricated.java"),
                List.of(
                        "package io.edgebridge.mqtt;",
                        importOf("cluster.ShardOwnership"),
                        importOf("cluster.ShardListener"),
                        importOf("cluster.ShardGroup")));
        assertEquals(1, mqtt.size(), mqtt.toString());
        assertTrue(mqtt.get(0).contains("cluster.ShardGroup"), mqtt.get(0));
    }

    @Test
    void configAndMappingImportNothingOfOursAndANewPackageNeedsAWallFirst() {
        assertEquals(
                1,
                violations(
                                SOURCES.resolve("config/X.java"),
                                List.of("package io.edgebridge.config;", importOf("mapping.TopicMapper")))
                        .size());
        assertEquals(
                1,
                violations(
                                SOURCES.resolve("mapping/X.java"),
                                List.of("package io.edgebridge.mapping;", importOf("config.BridgeConfig")))
                        .size());
        List<String> unknown =
                violations(SOURCES.resolve("federation/X.java"), List.of("package io.edgebridge.federation;"));
        assertTrue(unknown.get(0).contains("has no wall yet"), unknown.toString());
    }
}
