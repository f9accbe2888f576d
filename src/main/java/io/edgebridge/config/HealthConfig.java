package io.edgebridge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How readiness is determined. */
public interface HealthConfig {
    /** How often the Kafka cluster is asked whether it answers (also the timeout of that question). */
    @WithDefault("5s")
    Duration kafkaCheckInterval();

    /** Readiness turns DOWN when the telemetry in-flight window stays full for longer than this. */
    @WithDefault("30s")
    Duration windowFullTimeout();

    /**
     * How often the telemetry session sends itself a probe through the broker ({@code 0s}: never). A probe not
     * delivered within {@link #probeTimeout()} turns readiness DOWN: the broker holds messages for the session
     * but does not deliver them.
     */
    @WithDefault("10s")
    Duration probeInterval();

    @WithDefault("30s")
    Duration probeTimeout();

    /** Where the probe goes; {@code {clientId}} is replaced. The bridge's MQTT user must read and write it. */
    @WithDefault("bridge/{clientId}/probe")
    String probeTopic();

    /**
     * At startup, readiness waits this long at most for the command status view to read the status history
     * ({@code bridge.commands.status-history}); then the replica is ready anyway and says it is lagging.
     */
    @WithDefault("60s")
    Duration statusViewTimeout();
}
