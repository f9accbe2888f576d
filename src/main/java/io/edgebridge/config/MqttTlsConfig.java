package io.edgebridge.config;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** TLS to the MQTT broker: on unless explicitly disabled. */
public interface MqttTlsConfig {
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

    /** How often the files are checked; when they changed (rotated), the bridge reconnects with them. */
    @WithDefault("30s")
    Duration reloadInterval();
}
