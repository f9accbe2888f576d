package io.edgebridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/compose.yaml} without a container runtime: its bridge is configured only through the
 * bridge's own config keys, every file it mounts exists (the generated ones as make-certs.sh makes them),
 * the services point at each other consistently, and Prometheus's config passes promtool.
 */
class ComposeFileTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final String GENERATED = "./certs/generated";
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    static Path generated;

    private static JsonNode services;

    @BeforeAll
    static void readComposeAndMakeCertificates() throws Exception {
        services = YAML.readTree(DEPLOY.resolve("compose.yaml").toFile()).path("services");
        Process script = new ProcessBuilder(
                        "bash", DEPLOY.resolve("certs/make-certs.sh").toString(), generated.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(script.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, script.exitValue(), output);
    }

    @Test
    void composeHasTheBrokersTheBridgeAndPrometheus() {
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertEquals(Set.of("bridge", "kafka", "mosquitto", "prometheus"), names);
    }

    @Test
    void everyVariableOfTheBridgeIsOneOfItsConfigKeys() throws IOException {
        Map<String, String> env = bridgeEnvironment();

        Set<String> unknown = new TreeSet<>(env.keySet());
        unknown.removeIf(BridgeConfigKeys::isEnvName);
        assertTrue(unknown.isEmpty(), () -> "compose sets variables the bridge does not read: " + unknown);
        assertTrue(
                env.keySet()
                        .containsAll(Set.of(
                                "BRIDGE_MQTT_HOST",
                                "BRIDGE_MQTT_USERNAME",
                                "BRIDGE_MQTT_PASSWORD",
                                "BRIDGE_MQTT_TLS_CA_FILE",
                                "KAFKA_BOOTSTRAP_SERVERS")),
                env::toString);
    }

    @Test
    void theKeyCheckKnowsWhatTheBridgeDoesNotRead() {
        // The check above can fail: near misses of real keys are not keys.
        assertTrue(BridgeConfigKeys.isEnvName("BRIDGE_MQTT_TLS_CA_FILE"));
        assertTrue(BridgeConfigKeys.isEnvName("KAFKA_SASL_JAAS_CONFIG"));
        assertFalse(BridgeConfigKeys.isEnvName("BRIDGE_MQTT_CA_FILE"));
        assertFalse(BridgeConfigKeys.isEnvName("BRIDGE_MQTT_TLS"));
        assertFalse(BridgeConfigKeys.isEnvName("KAFKA_BOOTSTRAP_SERVER"));
        assertFalse(BridgeConfigKeys.isEnvName("MQTT_HOST"));
    }

    @Test
    void bridgeReachesMosquittoByTheNameInItsCertificateAndKafkaByItsAdvertisedListener() throws Exception {
        Map<String, String> env = bridgeEnvironment();

        String mqttHost = env.get("BRIDGE_MQTT_HOST");
        assertTrue(services.has(mqttHost), mqttHost);
        assertEquals("true", env.get("BRIDGE_MQTT_TLS_VERIFY_HOSTNAME"));
        X509Certificate broker;
        try (InputStream in = Files.newInputStream(generated.resolve("broker.crt"))) {
            broker = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        List<String> names = new ArrayList<>();
        broker.getSubjectAlternativeNames().forEach(san -> names.add(san.get(1).toString()));
        assertEquals(List.of(mqttHost, "localhost"), names);
        assertTrue(mosquittoConfig().contains("\nlistener " + env.get("BRIDGE_MQTT_PORT") + "\n"));

        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        assertTrue(services.has(bootstrap.split(":")[0]), bootstrap);
        String advertised =
                services.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText();
        assertTrue(advertised.contains("://" + bootstrap), advertised);
    }

    @Test
    void everyMountedFileExists() {
        services.fields().forEachRemaining(service -> {
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertTrue(Files.exists(hostPath(source)), () -> service.getKey() + " mounts missing " + source);
                }
            }
        });
        for (JsonNode envFile : services.at("/bridge/env_file")) {
            assertTrue(Files.isRegularFile(hostPath(envFile.asText())), envFile::asText);
        }
    }

    @Test
    void filesNamedInMosquittoConfAndBridgeVariablesAreMountedWhereTheyPoint() throws IOException {
        for (String line : mosquittoConfig().lines().toList()) {
            String[] words = line.trim().split("\\s+");
            if (Set.of("password_file", "acl_file", "cafile", "certfile", "keyfile")
                    .contains(words[0])) {
                Path file = inContainer("mosquitto", words[1]);
                assertTrue(Files.isRegularFile(file), () -> line + " -> " + file);
            }
        }
        bridgeEnvironment().forEach((name, value) -> {
            if (name.endsWith("_FILE")) {
                Path file = inContainer("bridge", value);
                assertTrue(Files.isRegularFile(file), () -> name + "=" + value + " -> " + file);
            }
        });
    }

    @Test
    void prometheusScrapesTheBridgesMetricsEndpointAndPassesPromtool() throws Exception {
        Path config = inContainer("prometheus", "/etc/prometheus/prometheus.yml");
        assertEquals(DEPLOY.resolve("prometheus/prometheus.yml").normalize(), config.normalize());
        Process promtool = new ProcessBuilder(promtool(), "check", "config", config.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, promtool.exitValue(), output);

        JsonNode job = YAML.readTree(config.toFile()).at("/scrape_configs/0");
        assertEquals("/q/metrics", job.path("metrics_path").asText());
        assertEquals("bridge:8080", job.at("/static_configs/0/targets/0").asText());
        assertTrue(texts(services.at("/bridge/ports")).contains("8080:8080"));
        assertFalse(bridgeEnvironment().containsKey("QUARKUS_HTTP_PORT"), "the bridge serves metrics on 8080");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The bridge's environment as compose hands it over: its env_file (made by make-certs.sh) and environment. */
    private static Map<String, String> bridgeEnvironment() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode envFile : services.at("/bridge/env_file")) {
            for (String line : Files.readAllLines(hostPath(envFile.asText()))) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        JsonNode environment = services.at("/bridge/environment");
        assertTrue(environment.isObject(), "environment as a map");
        environment
                .fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /** A compose source path on this machine; the generated directory is where make-certs.sh wrote. */
    private static Path hostPath(String source) {
        if (source.startsWith(GENERATED)) {
            return generated.resolve(source.substring(GENERATED.length()).replaceFirst("^/", ""));
        }
        return DEPLOY.resolve(source);
    }

    /** The host file behind a path inside a service's container, through its bind mounts. */
    private static Path inContainer(String service, String path) {
        String best = null;
        Path host = null;
        for (JsonNode volume : services.path(service).path("volumes")) {
            String[] parts = volume.asText().split(":");
            String target = parts[1];
            boolean covers = path.equals(target) || path.startsWith(target.endsWith("/") ? target : target + "/");
            if (parts[0].startsWith(".") && covers && (best == null || target.length() > best.length())) {
                best = target;
                host = hostPath(parts[0])
                        .resolve(path.substring(target.length()).replaceFirst("^/", ""));
            }
        }
        assertNotNull(host, () -> service + " mounts nothing at " + path);
        return host;
    }

    private static String mosquittoConfig() throws IOException {
        return Files.readString(inContainer("mosquitto", "/mosquitto/config/mosquitto.conf"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static String promtool() {
        for (String candidate : List.of("/usr/bin/promtool", "/usr/local/bin/promtool")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "promtool";
    }
}
