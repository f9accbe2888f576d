package io.edgebridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The bridge's whole configuration contract. Every key also works as an environment variable
 * ({@code bridge.mqtt.host} -> {@code BRIDGE_MQTT_HOST}). Kafka clients take the standard {@code kafka.*} keys.
 */
@ConfigMapping(prefix = "bridge")
public interface BridgeConfig {

    MqttConfig mqtt();

    TelemetryConfig telemetry();

    HealthConfig health();

    CommandsConfig commands();

    ApiConfig api();

    ClusterConfig cluster();

    /** Mapping rules (YAML or JSON); without it, {@code devices/{deviceId}/telemetry -> device-telemetry}. */
    Optional<Path> rulesFile();

    /** How often the rules file is checked for changes; a changed file is applied without a restart. */
    @WithDefault("5s")
    Duration rulesReloadInterval();

    /** Device registry (YAML or JSON) whose attributes enrich each event; reloaded when the file changes. */
    Optional<Path> registryFile();

    /** How often the registry file is checked for changes. */
    @WithDefault("5s")
    Duration registryReloadInterval();
}
