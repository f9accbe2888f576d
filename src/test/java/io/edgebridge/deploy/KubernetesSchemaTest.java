package io.edgebridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgebridge.deploy.KubernetesSchemas.Labelled;
import io.edgebridge.deploy.KubernetesSchemas.Verdict;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.ReservedNames;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.registry.DeviceDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the chart renders is what a Kubernetes API server accepts: every object from every values file
 * the project ships, checked offline against the Kubernetes v1.33 OpenAPI schemas (types, required
 * fields, enums, quantities, unknown fields) and, for the ServiceMonitor, the prometheus-operator CRD schema.
 */
class KubernetesSchemaTest {

    static final Path PRODUCTION_VALUES = Path.of("deploy", "values-production.yaml");

    /** Every values file the project ships: the chart's ci variants and the production example. */
    static List<Path> shippedValues() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> ci = Files.list(HelmTemplate.CHART.resolve("ci"))) {
            ci.filter(f -> f.getFileName().toString().endsWith("-values.yaml"))
                    .sorted()
                    .forEach(files::add);
        }
        files.add(PRODUCTION_VALUES);
        return files;
    }

    @Test
    void everyObjectRenderedFromEveryShippedValuesFileIsValid() throws Exception {
        List<Labelled> objects = new ArrayList<>();
        Set<String> kinds = new TreeSet<>();
        for (Path values : shippedValues()) {
            // Rendering also checks the values against the chart's values.schema.json.
            for (JsonNode object : HelmTemplate.render(values)) {
                objects.add(new Labelled(values.toString(), object));
                kinds.add(object.path("kind").asText());
            }
        }

        List<Verdict> verdicts = KubernetesSchemas.validate(objects);

        List<Verdict> invalid = verdicts.stream().filter(v -> !v.valid()).toList();
        assertTrue(invalid.isEmpty(), () -> "rejected by the Kubernetes schemas:\n" + invalid);
        // Every template of the chart was rendered by at least one file, so each was validated.
        assertEquals(
                Set.of(
                        "ConfigMap",
                        "Deployment",
                        "HorizontalPodAutoscaler",
                        "NetworkPolicy",
                        "PodDisruptionBudget",
                        "Service",
                        "ServiceAccount",
                        "ServiceMonitor"),
                kinds);
    }

    @Test
    void productionValuesTurnOnTlsSaslAndThePolicies() {
        List<JsonNode> docs = HelmTemplate.render(PRODUCTION_VALUES);
        Set<String> kinds =
                new TreeSet<>(docs.stream().map(d -> d.path("kind").asText()).toList());

        assertEquals(
                Set.of(
                        "ConfigMap",
                        "Deployment",
                        "NetworkPolicy",
                        "PodDisruptionBudget",
                        "Service",
                        "ServiceAccount",
                        "ServiceMonitor"),
                kinds);
        JsonNode container = docs.stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .at("/spec/template/spec/containers/0");
        String env = container.path("env").toString();
        assertTrue(env.contains("{\"name\":\"KAFKA_SECURITY_PROTOCOL\",\"value\":\"SASL_SSL\"}"), env);
        assertTrue(env.contains("{\"name\":\"BRIDGE_MQTT_TLS_ENABLED\",\"value\":\"true\"}"), env);
        assertTrue(env.contains("{\"name\":\"BRIDGE_CLUSTER_SHARDS\",\"value\":\"3\"}"), env);
        assertFalse(env.contains("password\",\"value\""), "secrets only by reference: " + env);
    }

    @Test
    void productionRulesAndRegistryAreAcceptedByTheBridgesOwnLoaders(@TempDir Path dir) throws IOException {
        JsonNode configMap = only(HelmTemplate.render(PRODUCTION_VALUES), "ConfigMap");
        Path rulesFile = Files.writeString(
                dir.resolve("rules.yaml"), configMap.at("/data/rules.yaml").asText());
        Path registryFile = Files.writeString(
                dir.resolve("registry.yaml"),
                configMap.at("/data/registry.yaml").asText());

        // The loaders the bridge runs at startup: a bad rule or registry attribute would stop the pod.
        List<MappingRule> rules = RulesLoader.load(rulesFile);
        Set<String> reserved = new TreeSet<>(ReservedNames.ATTRIBUTES);
        rules.forEach(rule -> rule.mqttTopic().segmentNames().forEach(n -> reserved.add(n.toLowerCase(Locale.ROOT))));
        DeviceDirectory registry = DeviceDirectory.read(registryFile, reserved);

        assertEquals(
                List.of("telemetry", "telemetry-streams"),
                rules.stream().map(MappingRule::name).toList());
        assertEquals("plant-a", registry.attributes("pump-07").get("site"));
    }

    // ---- the check can fail -----------------------------------------------------------------------

    @Test
    void schemasRejectWhatAnApiServerWouldRefuse() throws Exception {
        List<JsonNode> docs = HelmTemplate.render(HelmTemplate.ciValues("full-values.yaml"));
        JsonNode deployment = only(docs, "Deployment");
        JsonNode serviceMonitor = only(docs, "ServiceMonitor");

        ObjectNode namedPort = deployment.deepCopy();
        ((ObjectNode) namedPort.at("/spec/template/spec/containers/0/ports/0")).put("containerPort", "http80");
        ObjectNode misspelt = deployment.deepCopy();
        // A typo Helm renders happily: Kubernetes knows readOnlyRootFilesystem, not ...FileSystem.
        ObjectNode context = (ObjectNode) misspelt.at("/spec/template/spec/containers/0/securityContext");
        context.set("readOnlyRootFileSystem", context.remove("readOnlyRootFilesystem"));
        ObjectNode badQuantity = deployment.deepCopy();
        ((ObjectNode) badQuantity.at("/spec/template/spec/containers/0/resources/limits")).put("memory", "256 MB");
        ObjectNode noSelector = deployment.deepCopy();
        ((ObjectNode) noSelector.path("spec")).remove("selector");
        ObjectNode badInterval = serviceMonitor.deepCopy();
        ((ObjectNode) badInterval.at("/spec/endpoints/0")).put("interval", "30 seconds");
        ObjectNode unknownKind = ((ObjectNode) deployment.deepCopy()).put("kind", "Deploymnet");

        List<Verdict> verdicts = KubernetesSchemas.validate(List.of(
                new Labelled("untouched", deployment),
                new Labelled("port name as number", namedPort),
                new Labelled("misspelt field", misspelt),
                new Labelled("bad quantity", badQuantity),
                new Labelled("no selector", noSelector),
                new Labelled("bad interval", badInterval),
                new Labelled("unknown kind", unknownKind)));

        assertEquals(List.of(), verdicts.get(0).errors());
        assertRejected(verdicts.get(1), "/spec/template/spec/containers/0/ports/0/containerPort must be integer");
        assertRejected(
                verdicts.get(2),
                "/spec/template/spec/containers/0/securityContext/readOnlyRootFileSystem is not a field of this kind");
        assertRejected(
                verdicts.get(3),
                "/spec/template/spec/containers/0/resources/limits/memory must match format \"quantity\"");
        assertRejected(verdicts.get(4), "/spec must have required property selector");
        assertRejected(verdicts.get(5), "/spec/endpoints/0/interval must match pattern");
        assertRejected(verdicts.get(6), "no schema for apps/v1 Deploymnet");
    }

    private static void assertRejected(Verdict verdict, String error) {
        assertFalse(verdict.valid(), verdict::toString);
        assertTrue(verdict.errors().stream().anyMatch(e -> e.startsWith(error)), verdict::toString);
    }

    private static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> matching =
                docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertEquals(1, matching.size(), kind);
        return matching.get(0);
    }
}
