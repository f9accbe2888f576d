package io.edgebridge.telemetry;

import io.edgebridge.config.UnknownDevicePolicy;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.metrics.TelemetryMetrics;
import io.edgebridge.registry.DeviceDirectory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The telemetry ingestor without Quarkus or brokers: rules from YAML, a registry, metrics in memory, and MQTT
 * messages whose acknowledgement and refusal are counted, as the MQTT window would see them.
 */
final class IngestHarness {

    final MeterRegistry registry = new SimpleMeterRegistry();
    final TelemetryIngestor ingestor = new TelemetryIngestor();

    IngestHarness(Path dir, String rules, Map<String, Map<String, String>> devices) throws Exception {
        Path file = Files.writeString(dir.resolve("rules-" + System.nanoTime() + ".yaml"), rules);
        TopicMapper mapper;
        try {
            mapper = new TopicMapper(RulesLoader.load(file));
        } finally {
            Files.delete(file);
        }
        DeviceDirectory directory = new DeviceDirectory(devices);
        ingestor.mapper = mapper;
        ingestor.metrics = new TelemetryMetrics(registry);
        ingestor.router = new TelemetryRouter(mapper, () -> directory, UnknownDevicePolicy.ACCEPT, 4096, 128, "dlq");
        mapper.rules().forEach(rule -> RuleSeries.register(ingestor.metrics, rule));
        RuleSeries.registerNoRule(ingestor.metrics);
    }

    /** An MQTT message as the connector hands it over, with its answers counted. */
    static final class Received {
        final AtomicInteger acks = new AtomicInteger();
        final AtomicInteger nacks = new AtomicInteger();
        final AtomicReference<Throwable> refusal = new AtomicReference<>();
        final AtomicLong heldBytes = new AtomicLong(-1);
        final Message<byte[]> message;

        Received(String topic, byte[] payload, boolean withHeldBytes) {
            MqttReceived origin = new MqttReceived(
                    topic, 1, false, false, 1_714_564_800_000L, System.nanoTime(), MqttReceived.Properties.NONE);
            Metadata metadata = withHeldBytes ? Metadata.of(origin, (HeldBytes) heldBytes::set) : Metadata.of(origin);
            message = Message.of(
                    payload,
                    metadata,
                    () -> {
                        acks.incrementAndGet();
                        return CompletableFuture.completedFuture(null);
                    },
                    error -> {
                        nacks.incrementAndGet();
                        refusal.set(error);
                        return CompletableFuture.completedFuture(null);
                    });
        }
    }

    static Received message(String topic, String payload) {
        return new Received(topic, payload.getBytes(StandardCharsets.UTF_8), true);
    }

    /** The records the ingestor hands to Kafka for {@code received}, in order. */
    List<Message<byte[]>> ingest(Received received) {
        return ingestor.ingest(received.message).collect().asList().await().indefinitely();
    }

    double count(String name) {
        return registry.find(name).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    double count(String name, String rule) {
        return registry.find(name).tag("rule", rule).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    long transformTimings(String rule) {
        return registry.find("edgebridge.transform").tag("rule", rule).timer().count();
    }
}
