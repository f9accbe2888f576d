package io.edgebridge.config;

import io.edgebridge.registry.UnknownDevicePolicy;
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

    Mqtt mqtt();

    Telemetry telemetry();

    Health health();

    /** Mapping rules (YAML or JSON); without it, {@code devices/{deviceId}/telemetry -> device-telemetry}. */
    Optional<Path> rulesFile();

    /** Device registry (YAML or JSON) whose attributes enrich each event; reloaded when the file changes. */
    Optional<Path> registryFile();

    /** How often the registry file is checked for changes. */
    @WithDefault("5s")
    Duration registryReloadInterval();

    /** The edge MQTT broker. */
    interface Mqtt {
        @WithDefault("localhost")
        String host();

        @WithDefault("8883")
        int port();

        Optional<String> username();

        Optional<String> password();

        /** Stable client id: with a persistent session, the broker keeps what arrives while the bridge is away. */
        @WithDefault("edge-bridge")
        String clientId();

        /** False keeps the session (subscriptions and queued QoS 1/2 messages) across disconnects. */
        @WithDefault("false")
        boolean cleanSession();

        @WithDefault("30s")
        Duration keepAlive();

        @WithDefault("10s")
        Duration connectTimeout();

        /** First wait before reconnecting; doubles up to {@link #reconnectMaxBackoff()}, with jitter. */
        @WithDefault("500ms")
        Duration reconnectInitialBackoff();

        @WithDefault("30s")
        Duration reconnectMaxBackoff();

        /**
         * Retained {@code online} is published here on connect; the retained last will {@code offline} tells
         * devices and operators when the bridge is gone, even after a crash. {@code {clientId}} is replaced.
         */
        @WithDefault("bridge/{clientId}/status")
        String statusTopic();

        /** Largest MQTT packet the client decodes; bigger ones close the connection (set the broker's limit lower). */
        @WithDefault("16777216")
        int maxMessageBytes();

        Tls tls();
    }

    /** TLS to the MQTT broker: on unless explicitly disabled. */
    interface Tls {
        @WithDefault("true")
        boolean enabled();

        /** PEM CA certificate(s) that sign the broker's certificate; without it, the JVM's trust store. */
        Optional<Path> caFile();

        /** PEM client certificate for mutual TLS, with {@link #keyFile()}. */
        Optional<Path> certFile();

        Optional<Path> keyFile();

        /** Check the broker certificate's name against {@code bridge.mqtt.host}. */
        @WithDefault("true")
        boolean verifyHostname();
    }

    /** How readiness is determined. */
    interface Health {
        /** How often the Kafka cluster is asked whether it answers (also the timeout of that question). */
        @WithDefault("5s")
        Duration kafkaCheckInterval();
    }

    /** MQTT -> Kafka. */
    interface Telemetry {
        /** Larger payloads go to the dead-letter topic (truncated to this size). */
        @WithDefault("262144")
        int maxPayloadBytes();

        @WithDefault("device-telemetry-dlq")
        String deadLetterTopic();

        /** Devices missing from the registry: accept (no attributes added) or reject (dead letter). */
        @WithDefault("accept")
        UnknownDevicePolicy unknownDevices();

        /**
         * Messages received but not yet acknowledged by Kafka. The broker's in-flight window for the bridge
         * (Mosquitto {@code max_inflight_messages}) should not exceed it.
         */
        @WithDefault("1000")
        int maxInFlight();

        /**
         * The same window in payload bytes: memory for buffered telemetry stays below it. Keep it below the
         * producer's {@code buffer.memory} (32 MiB by default), or sends block when Kafka is slow.
         */
        @WithDefault("16777216")
        long maxInFlightBytes();

        /** On shutdown (SIGTERM), how long in-flight messages may take to reach Kafka before disconnecting. */
        @WithDefault("10s")
        Duration drainTimeout();
    }
}
