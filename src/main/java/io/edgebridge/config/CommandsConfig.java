package io.edgebridge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Cloud -> device commands: Kafka and REST in, MQTT out, device responses back to Kafka. */
public interface CommandsConfig {
    /** Kafka topic the bridge consumes commands from (key = device id, value = command JSON). */
    @WithDefault("device-commands")
    String topic();

    /** Kafka topic of command status events (accepted, published, expired, rejected, responded, timed-out). */
    @WithDefault("device-command-status")
    String statusTopic();

    /** Kafka topic device responses are forwarded to. */
    @WithDefault("device-command-responses")
    String responseTopic();

    /** Kafka topic for command records that cannot be executed, with the reason in headers. */
    @WithDefault("device-commands-dlq")
    String deadLetterTopic();

    /**
     * MQTT topic a command is published to; {deviceId}, {name} and {correlationId} are replaced. The correlation
     * id is in the default so a device can answer on the response topic without parsing the payload.
     */
    @WithDefault("devices/{deviceId}/commands/{name}/{correlationId}")
    String topicTemplate();

    /** MQTT topic devices answer on; the bridge subscribes to it with each placeholder as '+'. */
    @WithDefault("devices/{deviceId}/commands/{name}/response/{correlationId}")
    String responseTopicTemplate();

    /** Lifetime of a command that names neither expiresAt nor ttlSeconds; also its response deadline. */
    @WithDefault("60s")
    Duration defaultTtl();

    /** Longest lifetime a command may ask for. */
    @WithDefault("24h")
    Duration maxTtl();

    /** Largest command payload; the REST API answers 413 above it. */
    @WithDefault("65536")
    int maxPayloadBytes();

    /** Commands consumed and not yet finished (published and acknowledged, or terminally refused). */
    @WithDefault("1000")
    int maxInFlight();

    /** Commands whose latest status the bridge remembers for GET /api/v1/commands/{id} and time-outs. */
    @WithDefault("100000")
    int maxTracked();

    /**
     * MQTT 5: Kafka headers of a command record that are published with the command as user properties (the
     * {@code content-type} header always becomes the content type). None by default.
     */
    Optional<List<String>> forwardHeaders();

    /**
     * How far back each replica reads the status topic when it starts, so GET and time-outs know the commands
     * sent before (through any replica). Commands longer-lived than this lose their time-out across a restart.
     */
    @WithDefault("1h")
    Duration statusHistory();

    /** Longest device id, command name or correlation id (characters). */
    @WithDefault("128")
    int maxIdLength();
}
