package io.edgebridge.config;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The edge MQTT broker. */
public interface MqttConfig {
    @WithDefault("localhost")
    String host();

    @WithDefault("8883")
    int port();

    Optional<String> username();

    Optional<String> password();

    /**
     * A file holding the password (a mounted Kubernetes Secret), instead of {@link #password()}; read at
     * startup, a trailing line break ignored.
     */
    Optional<Path> passwordFile();

    /** Stable client id: with a persistent session, the broker keeps what arrives while the bridge is away. */
    @WithDefault("edge-bridge")
    String clientId();

    /**
     * MQTT protocol version for telemetry and commands: {@code 5} (properties, Receive Maximum, reason codes) or
     * {@code 3.1.1} for brokers that speak nothing newer.
     */
    @WithDefault("5")
    String protocol();

    /** False keeps the session (subscriptions and queued QoS 1/2 messages) across disconnects. */
    @WithDefault("false")
    boolean cleanSession();

    /**
     * MQTT 5: how long the broker keeps the persistent session while the bridge is away; unset, it never expires
     * (as MQTT 3.1.1 sessions do). The broker may cap it (EMQX, HiveMQ: their max session expiry).
     */
    Optional<Duration> sessionExpiry();

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

    MqttTlsConfig tls();
}
