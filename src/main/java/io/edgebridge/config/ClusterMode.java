package io.edgebridge.config;

/** How the MQTT side splits the devices over the shards (docs/replicas.md). */
public enum ClusterMode {
    /** Every shard subscribes to every topic and keeps the devices whose id hashes to it: N times the egress. */
    HASH,
    /** Each shard subscribes to its own topic filters: no extra egress, the topics must split the devices. */
    FILTERS,
    /** The shards share one {@code $share} subscription the broker spreads; order holds in steady state only. */
    SHARED
}
