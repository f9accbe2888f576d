package io.edgebridge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Several replicas sharing the MQTT work: shard ownership through a Kafka consumer group (docs/replicas.md). */
public interface ClusterConfig {
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
