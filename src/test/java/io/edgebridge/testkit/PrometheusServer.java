package io.edgebridge.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;

/** A real Prometheus server (Debian's package) scraping one target every second, queried over its HTTP API. */
public final class PrometheusServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static PrometheusServer scrape(Path dir, String job, int targetPort, String metricsPath) {
        Path binary = Path.of("/usr/bin/prometheus");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(
                    "prometheus not found: install Debian's prometheus package (./mvnw verify does as root)");
        }
        try {
            Files.createDirectories(dir.resolve("data"));
            Path config = Files.writeString(
                    dir.resolve("prometheus.yml"),
                    String.join(
                            "\n",
                            "global:",
                            "  scrape_interval: 1s",
                            "  evaluation_interval: 1s",
                            "scrape_configs:",
                            "  - job_name: " + job,
                            "    metrics_path: " + metricsPath,
                            "    static_configs:",
                            "      - targets: ['127.0.0.1:" + targetPort + "']",
                            ""));
            int port = Ports.free();
            Process process = new ProcessBuilder(
                            binary.toString(),
                            "--config.file=" + config,
                            "--storage.tsdb.path=" + dir.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            PrometheusServer server = new PrometheusServer(process, port);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && !server.ready()) {
                Ports.sleep(200);
            }
            if (!server.ready()) {
                server.close();
                throw new IllegalStateException("prometheus not ready; see " + dir.resolve("prometheus.log"));
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean ready() {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The value of an instant PromQL query returning one sample, if it returns one. */
    public OptionalDouble query(String promql) {
        try {
            String url = "http://127.0.0.1:" + port + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8);
            JsonNode body = json.readTree(
                    http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                            .body());
            JsonNode result = body.path("data").path("result");
            if (!result.isArray() || result.size() != 1) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(
                    Double.parseDouble(result.get(0).path("value").get(1).asText()));
        } catch (IOException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }

    /** Waits until {@code promql} returns {@code expected}; the last value seen otherwise. */
    public OptionalDouble awaitValue(String promql, double expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        OptionalDouble value = query(promql);
        while ((value.isEmpty() || value.getAsDouble() != expected) && System.nanoTime() < deadline) {
            Ports.sleep(500);
            value = query(promql);
        }
        return value;
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
    }
}
