package io.edgebridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart as an operator meets it: linted and rendered by the Helm library itself with each
 * {@code ci/*-values.yaml}, its values checked by the schema, and the pod it describes checked against
 * what the bridge needs (its own config keys, probes, a read-only root, secrets only by reference).
 */
class HelmChartTest {

    private static final Path CHART = HelmTemplate.CHART;
    private static final String RELEASE = HelmTemplate.RELEASE;
    private static final YAMLMapper YAML = new YAMLMapper();

    static Stream<String> ciValues() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            List<String> names = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith("-values.yaml"))
                    .sorted()
                    .toList();
            assertEquals(List.of("default-values.yaml", "full-values.yaml", "plain-tcp-values.yaml"), names);
            return names.stream();
        }
    }

    // ---- lint -----------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("ciValues")
    void lintPassesWithEachCiValuesFile(String ciFile, @TempDir Path work) throws IOException {
        // Helm's lint takes no values file: lint a copy whose values.yaml is the defaults merged with the ci file.
        Path chart = copyChart(work);
        ObjectNode values =
                (ObjectNode) YAML.readTree(CHART.resolve("values.yaml").toFile());
        merge(values, YAML.readTree(CHART.resolve("ci").resolve(ciFile).toFile()));
        YAML.writeValue(chart.resolve("values.yaml").toFile(), values);

        LintResult lint = new Helm(chart).lint().strict().call();

        assertFalse(lint.isFailed(), () -> ciFile + ": " + lint.getMessages());
    }

    // ---- the pod ----------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("ciValues")
    void podIsProbedOnQuarkusHealthAndServesHttpOn8080(String ciFile) {
        JsonNode container = container(render(ciFile));

        assertEquals(
                "/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals(
                "/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals(
                "/q/health/started", container.at("/startupProbe/httpGet/path").asText());
        assertEquals("http", container.at("/livenessProbe/httpGet/port").asText());
        JsonNode port = container.at("/ports/0");
        assertEquals("http", port.path("name").asText());
        assertEquals(8080, port.path("containerPort").asInt());
    }

    @ParameterizedTest
    @MethodSource("ciValues")
    void podRunsAsNonRootOnReadOnlyRootWithOnlyTmpWritable(String ciFile) {
        List<JsonNode> docs = render(ciFile);
        JsonNode pod = deployment(docs).at("/spec/template/spec");
        JsonNode container = container(docs);

        for (JsonNode context : List.of(pod.path("securityContext"), container.path("securityContext"))) {
            assertTrue(context.path("runAsNonRoot").asBoolean(), context::toString);
            assertEquals(185, context.path("runAsUser").asInt(), context::toString);
            assertEquals("RuntimeDefault", context.at("/seccompProfile/type").asText(), context::toString);
        }
        JsonNode containerContext = container.path("securityContext");
        assertTrue(containerContext.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(containerContext.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals(List.of("ALL"), texts(containerContext.at("/capabilities/drop")));

        JsonNode tmp = volume(pod, "tmp");
        assertTrue(tmp.has("emptyDir"), tmp::toString);
        Map<String, JsonNode> mounts = mountsByName(container);
        assertEquals("/tmp", mounts.get("tmp").path("mountPath").asText());
        mounts.forEach((name, mount) -> {
            if (!name.equals("tmp")) {
                assertTrue(mount.path("readOnly").asBoolean(), () -> name + " must be read-only: " + mount);
            }
        });
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), "the bridge never calls the API");
    }

    @Test
    void defaultResourcesFitTheBridge() {
        JsonNode resources = container(render("default-values.yaml")).path("resources");

        assertEquals("100m", resources.at("/requests/cpu").asText());
        assertEquals("256Mi", resources.at("/requests/memory").asText());
        assertEquals("1", resources.at("/limits/cpu").asText());
        assertEquals("384Mi", resources.at("/limits/memory").asText());
    }

    @ParameterizedTest
    @MethodSource("ciValues")
    void everyVariableTheChartSetsIsAConfigKeyOfTheBridge(String ciFile) throws IOException {
        Set<String> own = new TreeSet<>(env(container(render(ciFile))).keySet());
        for (JsonNode extra :
                YAML.readTree(CHART.resolve("ci").resolve(ciFile).toFile()).path("extraEnv")) {
            own.remove(extra.path("name").asText()); // the operator's own choice, passed through as given
        }

        Set<String> unknown = new TreeSet<>(own);
        unknown.removeIf(BridgeConfigKeys::isEnvName);
        assertTrue(unknown.isEmpty(), () -> ciFile + " sets variables the bridge does not read: " + unknown);
        assertTrue(
                own.containsAll(Set.of("BRIDGE_MQTT_HOST", "BRIDGE_MQTT_PORT", "KAFKA_BOOTSTRAP_SERVERS")),
                own::toString);
    }

    @Test
    void defaultsTalkTlsTo8883AndUseAStableClientId() {
        Map<String, JsonNode> env = env(container(render("default-values.yaml")));

        assertEquals("mosquitto.iot.svc", value(env, "BRIDGE_MQTT_HOST"));
        assertEquals("8883", value(env, "BRIDGE_MQTT_PORT"));
        assertEquals("true", value(env, "BRIDGE_MQTT_TLS_ENABLED"));
        assertEquals(RELEASE + "-edge-bridge", value(env, "BRIDGE_MQTT_CLIENT_ID"));
        assertEquals("kafka-bootstrap.kafka.svc:9092", value(env, "KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("accept", value(env, "BRIDGE_TELEMETRY_UNKNOWN_DEVICES"));
        // Without a rules file or registry the bridge uses its built-in rule and no ConfigMap is needed.
        assertFalse(env.containsKey("BRIDGE_RULES_FILE"));
        assertFalse(env.containsKey("BRIDGE_MQTT_USERNAME"));
        assertTrue(kinds(render("default-values.yaml")).stream().noneMatch("ConfigMap"::equals));
    }

    @Test
    void credentialsComeFromExistingSecretsByReference() {
        List<JsonNode> docs = render("full-values.yaml");
        Map<String, JsonNode> env = env(container(docs));

        assertSecretRef(env, "BRIDGE_MQTT_USERNAME", "edge-bridge-mqtt-auth", "username");
        assertSecretRef(env, "BRIDGE_MQTT_PASSWORD", "edge-bridge-mqtt-auth", "password");
        assertSecretRef(env, "KAFKA_SASL_JAAS_CONFIG", "edge-bridge-kafka-sasl", "sasl.jaas.config");
        assertEquals("SASL_SSL", value(env, "KAFKA_SECURITY_PROTOCOL"));
        assertEquals("SCRAM-SHA-512", value(env, "KAFKA_SASL_MECHANISM"));
        assertTrue(kinds(docs).stream().noneMatch("Secret"::equals), "the chart never creates a Secret");
    }

    @Test
    void mutualTlsFilesAreMountedReadOnlyWhereTheVariablesPoint() {
        List<JsonNode> docs = render("full-values.yaml");
        JsonNode container = container(docs);
        Map<String, JsonNode> env = env(container);
        JsonNode pod = deployment(docs).at("/spec/template/spec");

        JsonNode mqttTls = volume(pod, "mqtt-tls").path("secret");
        assertEquals("edge-bridge-mqtt-tls", mqttTls.path("secretName").asText());
        assertEquals(List.of("ca.crt", "tls.crt", "tls.key"), texts(mqttTls.path("items"), "path"));
        String mqttDir =
                mountsByName(container).get("mqtt-tls").path("mountPath").asText();
        assertEquals(mqttDir + "/ca.crt", value(env, "BRIDGE_MQTT_TLS_CA_FILE"));
        assertEquals(mqttDir + "/tls.crt", value(env, "BRIDGE_MQTT_TLS_CERT_FILE"));
        assertEquals(mqttDir + "/tls.key", value(env, "BRIDGE_MQTT_TLS_KEY_FILE"));

        assertEquals(
                "kafka-cluster-ca",
                volume(pod, "kafka-tls").at("/secret/secretName").asText());
        String kafkaDir =
                mountsByName(container).get("kafka-tls").path("mountPath").asText();
        assertEquals(kafkaDir + "/ca.crt", value(env, "KAFKA_SSL_TRUSTSTORE_LOCATION"));
        assertEquals("PEM", value(env, "KAFKA_SSL_TRUSTSTORE_TYPE"));
    }

    @Test
    void rulesAndRegistryReachTheBridgeThroughTheConfigMap() throws IOException {
        List<JsonNode> docs = render("full-values.yaml");
        JsonNode container = container(docs);
        Map<String, JsonNode> env = env(container);
        JsonNode configMap = only(docs, "ConfigMap");

        // One written as an object, one as a string: both arrive as the files the bridge's loaders read.
        JsonNode rules = YAML.readTree(configMap.at("/data/rules.yaml").asText());
        assertEquals(
                "devices/{deviceId}/telemetry", rules.at("/rules/0/mqtt-topic").asText());
        assertEquals("telemetry.{stream}", rules.at("/rules/1/kafka-topic").asText());
        JsonNode registry = YAML.readTree(configMap.at("/data/registry.yaml").asText());
        assertEquals("plant-a", registry.at("/devices/sensor-01/site").asText());

        String dir = mountsByName(container).get("config").path("mountPath").asText();
        assertEquals(dir + "/rules.yaml", value(env, "BRIDGE_RULES_FILE"));
        assertEquals(dir + "/registry.yaml", value(env, "BRIDGE_REGISTRY_FILE"));
        JsonNode volume = volume(deployment(docs).at("/spec/template/spec"), "config");
        assertEquals(
                configMap.at("/metadata/name").asText(),
                volume.at("/configMap/name").asText());
        assertFalse(mountsByName(container).get("config").has("subPath"), "subPath mounts never see updates");
    }

    @Test
    void plainTcpTurnsTlsOffAndMountsNoCertificates() {
        List<JsonNode> docs = render("plain-tcp-values.yaml");
        Map<String, JsonNode> env = env(container(docs));

        assertEquals("false", value(env, "BRIDGE_MQTT_TLS_ENABLED"));
        assertEquals("1883", value(env, "BRIDGE_MQTT_PORT"));
        assertFalse(env.containsKey("BRIDGE_MQTT_TLS_CA_FILE"));
        assertFalse(mountsByName(container(docs)).containsKey("mqtt-tls"));
        assertSecretRef(env, "BRIDGE_MQTT_PASSWORD", "edge-bridge-mqtt-auth", "password");
    }

    // ---- the objects around the pod ---------------------------------------------------------------

    @Test
    void serviceExposesHttpWhereMetricsAreScraped() {
        List<JsonNode> docs = render("full-values.yaml");

        JsonNode port = only(docs, "Service").at("/spec/ports/0");
        assertEquals("http", port.path("name").asText());
        assertEquals(8080, port.path("port").asInt());
        JsonNode endpoint = only(docs, "ServiceMonitor").at("/spec/endpoints/0");
        assertEquals("http", endpoint.path("port").asText());
        assertEquals("/q/metrics", endpoint.path("path").asText());
        assertEquals(
                "monitoring.coreos.com/v1",
                only(docs, "ServiceMonitor").path("apiVersion").asText());
    }

    @Test
    void defaultsCreateTheDeploymentItsServiceServiceAccountAndDisruptionBudget() {
        assertEquals(
                Set.of("Deployment", "PodDisruptionBudget", "Service", "ServiceAccount"),
                new TreeSet<>(kinds(render("default-values.yaml"))));
    }

    @ParameterizedTest
    @CsvSource({
        "serviceMonitor.enabled, ServiceMonitor, monitoring.coreos.com/v1",
        "podDisruptionBudget.enabled, PodDisruptionBudget, policy/v1",
        "networkPolicy.enabled, NetworkPolicy, networking.k8s.io/v1",
        "autoscaling.enabled, HorizontalPodAutoscaler, autoscaling/v2"
    })
    void optionalObjectAppearsOnlyWhenEnabled(String key, String kind, String apiVersion) {
        assertFalse(kinds(render("default-values.yaml", Map.of(key, "false"))).contains(kind));

        JsonNode object = only(render("default-values.yaml", Map.of(key, "true")), kind);
        assertEquals(apiVersion, object.path("apiVersion").asText());
        assertEquals(RELEASE + "-edge-bridge", object.at("/metadata/name").asText());
    }

    @Test
    void networkPolicyAdmitsHttpAndLetsOutMqttKafkaAndDns() {
        JsonNode policy = only(render("full-values.yaml"), "NetworkPolicy").path("spec");

        assertEquals("http", policy.at("/ingress/0/ports/0/port").asText());
        List<Integer> egressPorts = new ArrayList<>();
        for (JsonNode rule : policy.path("egress")) {
            rule.path("ports").forEach(p -> egressPorts.add(p.path("port").asInt()));
        }
        assertEquals(List.of(8883, 9093, 53, 53), egressPorts);
    }

    @Test
    void twoReplicasShareTheShardsAndRollOneAtATime() {
        List<JsonNode> docs = render("default-values.yaml");
        JsonNode spec = deployment(docs).path("spec");
        Map<String, JsonNode> env = env(container(docs));

        assertEquals(2, spec.path("replicas").asInt());
        assertEquals("RollingUpdate", spec.at("/strategy/type").asText());
        assertEquals(0, spec.at("/strategy/rollingUpdate/maxUnavailable").asInt(), "a shard never waits for a pod");
        assertEquals("true", value(env, "BRIDGE_CLUSTER_ENABLED"));
        assertEquals("3", value(env, "BRIDGE_CLUSTER_SHARDS"));
        assertEquals("hash", value(env, "BRIDGE_CLUSTER_MODE"));
        assertEquals("15s", value(env, "BRIDGE_CLUSTER_SESSION_TIMEOUT"));
        assertFalse(env.containsKey("BRIDGE_CLUSTER_TOPIC"), "derived from the client id");
        assertEquals(
                "metadata.name",
                env.get("BRIDGE_CLUSTER_MEMBER_ID")
                        .at("/valueFrom/fieldRef/fieldPath")
                        .asText(),
                "each member is named after its pod");
        JsonNode spread = spec.at("/template/spec/topologySpreadConstraints/0");
        assertEquals("kubernetes.io/hostname", spread.path("topologyKey").asText());
        assertEquals("ScheduleAnyway", spread.path("whenUnsatisfiable").asText());
        assertEquals(spec.at("/selector/matchLabels"), spread.at("/labelSelector/matchLabels"), "spreads its own pods");
        assertEquals(
                1, only(docs, "PodDisruptionBudget").at("/spec/maxUnavailable").asInt());
        assertFalse(kinds(docs).contains("HorizontalPodAutoscaler"));
    }

    @Test
    void theAutoscalerTakesOverTheReplicaCountAndIsCapped() {
        List<JsonNode> docs = render("full-values.yaml");
        JsonNode hpa = only(docs, "HorizontalPodAutoscaler").path("spec");

        assertFalse(deployment(docs).path("spec").has("replicas"), "the autoscaler owns the count");
        assertEquals(
                deployment(docs).at("/metadata/name").asText(),
                hpa.at("/scaleTargetRef/name").asText());
        assertEquals(2, hpa.path("minReplicas").asInt());
        assertEquals(6, hpa.path("maxReplicas").asInt());
        assertEquals(60, hpa.at("/metrics/0/resource/target/averageUtilization").asInt());
        assertEquals("4", value(env(container(docs)), "BRIDGE_CLUSTER_SHARDS"));
        assertEquals("plant-a.shards", value(env(container(docs)), "BRIDGE_CLUSTER_TOPIC"));

        Exception capped = assertThrows(
                IllegalStateException.class, () -> render("full-values.yaml", Map.of("autoscaling.maxReplicas", "33")));
        assertTrue(capped.getMessage().contains("/autoscaling/maxReplicas"), capped::getMessage);
        Exception inverted = assertThrows(
                IllegalStateException.class, () -> render("full-values.yaml", Map.of("autoscaling.minReplicas", "7")));
        assertTrue(inverted.getMessage().contains("autoscaling.minReplicas"), inverted::getMessage);
    }

    @Test
    void withoutClusteringOnePodRecreatedAndNothingMore() {
        List<JsonNode> docs = render("plain-tcp-values.yaml");
        JsonNode spec = deployment(docs).path("spec");
        Map<String, JsonNode> env = env(container(docs));

        assertEquals(1, spec.path("replicas").asInt());
        assertEquals("Recreate", spec.at("/strategy/type").asText());
        assertEquals("false", value(env, "BRIDGE_CLUSTER_ENABLED"));
        assertFalse(env.containsKey("BRIDGE_CLUSTER_SHARDS"));
        assertFalse(env.containsKey("BRIDGE_CLUSTER_MEMBER_ID"));

        // One client id, one session: a second pod, an autoscaler or a rolling update would share it.
        for (Map<String, String> shared : List.of(
                Map.of("replicaCount", "2"),
                Map.of("autoscaling.enabled", "true"),
                Map.of("strategy.type", "RollingUpdate"))) {
            Exception refused = assertThrows(
                    IllegalStateException.class, () -> render("plain-tcp-values.yaml", shared), shared::toString);
            assertTrue(refused.getMessage().contains("cluster.enabled"), refused::getMessage);
        }
    }

    @Test
    void everyObjectCarriesTheStandardLabels() {
        for (JsonNode doc : render("full-values.yaml")) {
            JsonNode labels = doc.at("/metadata/labels");
            assertEquals("edge-bridge", labels.path("app.kubernetes.io/name").asText(), doc.path("kind")::asText);
            assertEquals(RELEASE, labels.path("app.kubernetes.io/instance").asText(), doc.path("kind")::asText);
            assertEquals("0.1.0", labels.path("app.kubernetes.io/version").asText(), doc.path("kind")::asText);
        }
    }

    // ---- the schema -------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "mqtt.port, 70000, /mqtt/port",
        "mqtt.port, 0, /mqtt/port",
        "replicaCount, -1, /replicaCount",
        "cluster.shards, 0, /cluster/shards",
        "cluster.shards, 257, /cluster/shards",
        "cluster.mode, sticky, /cluster/mode",
        "cluster.sessionTimeout, 15 seconds, /cluster/sessionTimeout",
        "cluster.topic, plant/a, /cluster/topic",
        "topologySpread.whenUnsatisfiable, Never, /topologySpread/whenUnsatisfiable",
        "telemetry.unknownDevices, maybe, /telemetry/unknownDevices",
        "colour, blue, colour",
        "kafka.securityProtocol, TLS, /kafka/securityProtocol"
    })
    void schemaRejectsBadValuesNamingThem(String key, String value, String named) {
        Exception refused =
                assertThrows(IllegalStateException.class, () -> render("default-values.yaml", Map.of(key, value)));

        assertTrue(refused.getMessage().contains(named), refused::getMessage);
    }

    @Test
    void schemaRequiresTheBrokerAddresses() {
        Exception refused =
                assertThrows(IllegalStateException.class, () -> template().call());

        assertTrue(refused.getMessage().contains("host"), refused::getMessage);
        assertTrue(refused.getMessage().contains("bootstrapServers"), refused::getMessage);
    }

    @Test
    void theCommandApiVerifiesTokensWithAJwksUrlOrAMountedKey() {
        Map<String, JsonNode> env = env(container(render("default-values.yaml")));
        assertEquals("true", value(env, "BRIDGE_API_AUTH_ENABLED"));
        assertEquals(
                "https://idp.example.com/realms/iot/protocol/openid-connect/certs",
                value(env, "MP_JWT_VERIFY_PUBLICKEY_LOCATION"));

        List<JsonNode> docs = render("full-values.yaml");
        JsonNode container = container(docs);
        env = env(container);
        JsonNode key =
                volume(deployment(docs).at("/spec/template/spec"), "api-key").path("secret");
        assertEquals("edge-bridge-api-key", key.path("secretName").asText());
        String dir = mountsByName(container).get("api-key").path("mountPath").asText();
        assertTrue(mountsByName(container).get("api-key").path("readOnly").asBoolean());
        assertEquals(dir + "/public.pem", value(env, "MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
        assertEquals("https://idp.example.com/realms/iot", value(env, "MP_JWT_VERIFY_ISSUER"));
        assertEquals("realm_access/roles", value(env, "SMALLRYE_JWT_PATH_GROUPS"));
        assertEquals("5", value(env, "BRIDGE_API_RATE_LIMIT_REQUESTS_PER_SECOND"));

        env = env(container(render("plain-tcp-values.yaml")));
        assertEquals("false", value(env, "BRIDGE_API_AUTH_ENABLED"));
        assertFalse(env.containsKey("MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
    }

    @Test
    void authWithoutAKeyIsRefusedByTheSchema() {
        Exception refused = assertThrows(
                IllegalStateException.class, () -> render("default-values.yaml", Map.of("api.auth.jwksUrl", "")));

        assertTrue(refused.getMessage().contains("api"), refused::getMessage);
    }

    @Test
    void clientCertificateWithoutItsSecretIsRefused() {
        Exception refused = assertThrows(
                IllegalStateException.class,
                () -> render("default-values.yaml", Map.of("mqtt.tls.clientCert", "true")));

        assertTrue(refused.getMessage().contains("mqtt.tls.existingSecret"), refused::getMessage);
    }

    // ---- the README -------------------------------------------------------------------------------

    @Test
    void readmeDocumentsEveryValue() throws IOException {
        String readme = Files.readString(CHART.resolve("README.md"));
        Set<String> keys = new TreeSet<>();
        leafKeys("", YAML.readTree(CHART.resolve("values.yaml").toFile()), keys);

        Set<String> missing = new TreeSet<>();
        for (String key : keys) {
            if (!readme.contains("| `" + key + "` |")) {
                missing.add(key);
            }
        }
        assertTrue(missing.isEmpty(), () -> "README.md has no row for " + missing);
    }

    // ---- rendering --------------------------------------------------------------------------------

    private static TemplateCommand template() {
        return HelmTemplate.command();
    }

    private static List<JsonNode> render(String ciFile) {
        return render(ciFile, Map.of());
    }

    private static List<JsonNode> render(String ciFile, Map<String, String> sets) {
        return HelmTemplate.render(HelmTemplate.ciValues(ciFile), sets);
    }

    private static List<String> kinds(List<JsonNode> docs) {
        return docs.stream().map(d -> d.path("kind").asText()).toList();
    }

    private static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> matching =
                docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertEquals(1, matching.size(), () -> "one " + kind + " expected in " + kinds(docs));
        return matching.get(0);
    }

    private static JsonNode deployment(List<JsonNode> docs) {
        return only(docs, "Deployment");
    }

    private static JsonNode container(List<JsonNode> docs) {
        JsonNode containers = deployment(docs).at("/spec/template/spec/containers");
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            JsonNode earlier = env.put(variable.path("name").asText(), variable);
            assertNull(earlier, () -> "set twice: " + variable.path("name").asText());
        }
        return env;
    }

    private static String value(Map<String, JsonNode> env, String name) {
        JsonNode variable = env.get(name);
        assertNotNull(variable, () -> name + " is not set; set are " + env.keySet());
        assertTrue(variable.has("value"), variable::toString);
        return variable.path("value").asText();
    }

    private static void assertSecretRef(Map<String, JsonNode> env, String name, String secret, String key) {
        JsonNode variable = env.get(name);
        assertNotNull(variable, () -> name + " is not set; set are " + env.keySet());
        assertFalse(variable.has("value"), () -> name + " must not carry the secret itself");
        assertEquals(secret, variable.at("/valueFrom/secretKeyRef/name").asText(), variable::toString);
        assertEquals(key, variable.at("/valueFrom/secretKeyRef/key").asText(), variable::toString);
    }

    private static Map<String, JsonNode> mountsByName(JsonNode container) {
        Map<String, JsonNode> mounts = new LinkedHashMap<>();
        container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m));
        return mounts;
    }

    private static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode volume : podSpec.path("volumes")) {
            if (name.equals(volume.path("name").asText())) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name + " in " + podSpec.path("volumes"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.path(field).asText()));
        return texts;
    }

    // ---- values files -----------------------------------------------------------------------------

    /** Helm's way of layering values: maps merge key by key, anything else is replaced. */
    private static void merge(ObjectNode base, JsonNode overlay) {
        for (Iterator<Map.Entry<String, JsonNode>> it = overlay.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode current = base.get(field.getKey());
            if (current instanceof ObjectNode target && field.getValue().isObject()) {
                merge(target, field.getValue());
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    /** Dotted paths of the values an operator sets; an empty map or list is a value of its own. */
    private static void leafKeys(String prefix, JsonNode node, Set<String> keys) {
        if (node.isObject() && !node.isEmpty()) {
            node.fields()
                    .forEachRemaining(f ->
                            leafKeys(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), keys));
        } else {
            keys.add(prefix);
        }
    }

    private static Path copyChart(Path work) throws IOException {
        Path target = work.resolve("edge-bridge");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        }
        return target;
    }
}
