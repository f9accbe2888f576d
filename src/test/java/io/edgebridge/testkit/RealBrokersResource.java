package io.edgebridge.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Points the bridge under test at the real Mosquitto (TLS + password) and the real Kafka, with test rules and a
 * test device registry. Everything is configured through the documented {@code bridge.*} and {@code kafka.*} keys.
 */
public class RealBrokersResource implements QuarkusTestResourceLifecycleManager {

    public static final String RULES = """
            rules:
              - name: metrics
                mqtt-topic: devices/{deviceId}/telemetry/{stream}
                kafka-topic: telemetry.{stream}
                format: json
              - name: events
                mqtt-topic: devices/{deviceId}/events
                kafka-topic: device-events
                format: json
                mode: structured
                event-type: io.edgebridge.test.event
                qos: 2
              - name: telemetry
                mqtt-topic: devices/{deviceId}/telemetry
                kafka-topic: device-telemetry
              - name: batches
                mqtt-topic: devices/{deviceId}/batch
                kafka-topic: telemetry.readings
                format: json
                transform:
                  when: '.test != true'
                  jslt: |
                    [for (.readings) {"device": $deviceId, "site": $site, "celsius": (.f - 32) * 5 / 9, "ts": .ts,
                      "m": .m}]
                  event-time: /ts
            """;

    public static final String REGISTRY = """
            devices:
              sensor-001: { site: plant-a, model: tx-100, tenant: acme }
              sensor-002: { site: plant-b, model: tx-200, tenant: acme }
            """;

    public static final int MAX_PAYLOAD_BYTES = 4096;

    private final Map<String, String> overrides = new HashMap<>();

    /** Init args are config overrides of a test profile, e.g. a wrong password; {@code registry} names a copy. */
    @Override
    public void init(Map<String, String> initArgs) {
        overrides.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        MqttBroker mqtt = SharedBrokers.mqtt();
        KafkaBroker kafka = SharedBrokers.kafka();
        kafka.createTopics(
                4,
                "device-telemetry",
                "telemetry.temperature",
                "telemetry.readings",
                "device-events",
                "mqtt5-telemetry",
                "device-telemetry-dlq",
                "device-commands",
                "device-command-status",
                "device-command-responses",
                "device-commands-dlq");
        Map<String, String> config = new HashMap<>();
        config.put("bridge.mqtt.host", mqtt.host());
        config.put("bridge.mqtt.port", Integer.toString(mqtt.port()));
        config.put("bridge.mqtt.username", mqtt.username());
        config.put("bridge.mqtt.password", mqtt.password());
        config.put("bridge.mqtt.tls.ca-file", mqtt.certificates().caCert.toString());
        config.put("bridge.rules-file", write("rules.yaml", RULES).toString());
        config.put(
                "bridge.registry-file",
                write(overrides.getOrDefault("registry", "registry.yaml"), REGISTRY)
                        .toString());
        config.put("bridge.registry-reload-interval", "200ms");
        config.put("bridge.telemetry.max-payload-bytes", Integer.toString(MAX_PAYLOAD_BYTES));
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("bridge.health.kafka-check-interval", "1s");
        config.putAll(TestTokens.shared().config());
        overrides.forEach((key, value) -> {
            if (key.contains(".")) {
                config.put(key, value);
            }
        });
        return config;
    }

    public static Path write(String name, String content) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "test-config").toAbsolutePath());
            Path file = dir.resolve(name);
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // The brokers are shared by the test JVM and stop with it.
    }
}
