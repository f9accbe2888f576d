package io.edgebridge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged bridge ({@code target/quarkus-app/quarkus-run.jar}) as its own process, configured by env vars. */
public final class BridgeProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final int httpPort;
    private final Path log;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private BridgeProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** The env vars that point a bridge at these brokers, exactly as an operator would set them. */
    public static Map<String, String> environment(MqttBroker mqtt, String kafkaBootstrap, String clientId) {
        Map<String, String> env = new HashMap<>();
        env.put("BRIDGE_MQTT_HOST", mqtt.host());
        env.put("BRIDGE_MQTT_PORT", Integer.toString(mqtt.port()));
        env.put("BRIDGE_MQTT_USERNAME", mqtt.username());
        env.put("BRIDGE_MQTT_PASSWORD", mqtt.password());
        env.put("BRIDGE_MQTT_TLS_CA_FILE", mqtt.certificates().caCert.toString());
        env.put("BRIDGE_MQTT_CLIENT_ID", clientId);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        env.putAll(TestTokens.shared().environment());
        return env;
    }

    /**
     * Adds what the Helm chart sets for {@code kafka.securityProtocol=SASL_SSL}, {@code kafka.sasl.*} and
     * {@code kafka.truststore.*} (a PEM CA file): the standard Kafka client keys as env vars.
     */
    public static Map<String, String> withKafkaSaslSsl(
            Map<String, String> env, Path caFile, String user, String password) {
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        env.put("KAFKA_SASL_JAAS_CONFIG", scramJaasConfig(user, password));
        env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", caFile.toString());
        env.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
        return env;
    }

    /** The {@code sasl.jaas.config} line a Kafka client needs for SCRAM. */
    public static String scramJaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    public static BridgeProcess start(Map<String, String> env, Path log, String... jvmOptions) {
        return start(JAR, env, log, jvmOptions);
    }

    /** The same with another packaged bridge, e.g. an earlier build's {@code quarkus-app/quarkus-run.jar}. */
    public static BridgeProcess start(Path jar, Map<String, String> env, Path log, String... jvmOptions) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw package first");
        }
        int port = Ports.free();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            builder.redirectOutput(log.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Only what an operator would set: the documented env vars, nothing inherited from the test JVM's config.
        builder.environment()
                .keySet()
                .removeIf(key -> key.startsWith("BRIDGE_") || key.startsWith("KAFKA_") || key.startsWith("QUARKUS_"));
        builder.environment().putAll(env);
        builder.environment().putIfAbsent("QUARKUS_HTTP_PORT", Integer.toString(port));
        try {
            return new BridgeProcess(
                    builder.start(), Integer.parseInt(builder.environment().get("QUARKUS_HTTP_PORT")), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private volatile String lastFailure;

    /** Why the last GET got no answer. */
    public String lastFailure() {
        return lastFailure;
    }

    public int httpPort() {
        return httpPort;
    }

    public Process process() {
        return process;
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** HTTP status and body of a GET on the bridge, or null when nothing answers. */
    public HttpResponse<String> get(String path) {
        return send(request(path, null).timeout(Duration.ofSeconds(5)).GET());
    }

    /** The same, with an {@code Authorization} header (e.g. {@link TestTokens#bearer}). */
    public HttpResponse<String> get(String path, String authorization) {
        return send(request(path, authorization).timeout(Duration.ofSeconds(5)).GET());
    }

    /** HTTP status and body of a POST on the bridge, or null when nothing answered within 30 s. */
    public HttpResponse<String> post(String path, byte[] body, String authorization) {
        return send(request(path, authorization)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path));
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            lastFailure = e.toString();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits until {@code /q/health/ready} answers 200; false when the process died or time ran out. */
    public boolean awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            HttpResponse<String> response = get("/q/health/ready");
            if (response != null && response.statusCode() == 200) {
                return true;
            }
            Ports.sleep(100);
        }
        return false;
    }

    /** Waits for the process to end; its exit code, or null if it still runs after {@code timeout}. */
    public Integer awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(15));
    }
}
