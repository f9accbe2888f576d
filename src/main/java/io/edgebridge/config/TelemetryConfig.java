package io.edgebridge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** MQTT -> Kafka. */
public interface TelemetryConfig {
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
