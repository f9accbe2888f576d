package io.edgebridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    Commands commands();

    Api api();

    Cluster cluster();

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

    /** The edge MQTT broker. */
    interface Mqtt {
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

        /** How often the files are checked; when they changed (rotated), the bridge reconnects with them. */
        @WithDefault("30s")
        Duration reloadInterval();
    }

    /** How readiness is determined. */
    interface Health {
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

    /** Cloud -> device commands: Kafka and REST in, MQTT out, device responses back to Kafka. */
    interface Commands {
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

    /** The REST API. */
    interface Api {
        /** Upper bound of the {@code wait} query parameter. */
        @WithDefault("30s")
        Duration maxWait();

        /** How long a REST command may wait for Kafka's acknowledgement before the answer is 503. */
        @WithDefault("10s")
        Duration kafkaWriteTimeout();

        Auth auth();

        RateLimit rateLimit();

        interface Auth {
            /**
             * Bearer JWTs with role {@code commands:write} (send) or {@code commands:read} (status) on /api/v1,
             * verified with the standard {@code mp.jwt.verify.*} keys. {@code false} only for local demos.
             */
            @WithDefault("true")
            boolean enabled();
        }

        /** Per client: the token's subject, or the remote address when auth is off. */
        interface RateLimit {
            /** Sustained requests per second per client; 0: no limit. */
            @WithDefault("0")
            double requestsPerSecond();

            /** Requests a client may make at once before the sustained rate applies. */
            @WithDefault("20")
            int burst();

            /** Clients tracked at once; the least recently seen is forgotten first. */
            @WithDefault("10000")
            int maxClients();
        }
    }

    /** Several replicas sharing the MQTT work: shard ownership through a Kafka consumer group (docs/replicas.md). */
    interface Cluster {
        /** False: one replica, no group; it owns the single shard 0 of 1, always. */
        @WithDefault("false")
        boolean enabled();

        /** N: MQTT sessions the work is split into, each owned by one replica at a time; 1: active/passive. */
        @WithDefault("1")
        int shards();

        /** This replica's name in the group, the coordination records and logs; unset: the host name (pod name). */
        Optional<String> memberId();

        /** How the MQTT side splits the devices over the shards. */
        @WithDefault("hash")
        ClusterMode mode();

        /** The Kafka consumer group that hands out the shards; unset: {@code <bridge.mqtt.client-id>-cluster}. */
        Optional<String> groupId();

        /**
         * Kafka topic with one partition per shard, compacted, holding who acquired and released each shard when;
         * created if absent; unset: {@code <bridge.mqtt.client-id>-shards}.
         */
        Optional<String> topic();

        /**
         * How long the group waits for a silent replica before its shards move: the failover time after a crash.
         * Kafka's classic protocol allows 6s upwards (the broker's group.min.session.timeout.ms).
         */
        @WithDefault("15s")
        Duration sessionTimeout();

        /**
         * Mode {@code filters}: each shard's own topic filters, one entry per shard in shard order, its filters
         * separated by {@code |} ({@code sites/a/#|sites/b/#,sites/c/#}). One of them must take the command
         * responses' filter.
         */
        Optional<List<String>> shardFilters();
    }
}
