package io.edgebridge.cluster;

import io.edgebridge.config.BridgeConfig;
import io.edgebridge.health.OwnedShards;
import io.edgebridge.metrics.ClusterMetrics;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;

/**
 * The shard ownership the MQTT side injects: a Kafka consumer group with {@code bridge.cluster.enabled=true}, else
 * shard 0 of 1 for good. Either way the keys are checked at startup, and at shutdown the shards are released before
 * anything else stops.
 */
@ApplicationScoped
public class ClusterSetup {

    /** How long startup waits for Kafka to check the coordination topic; the cluster thread checks again later. */
    static final Duration STARTUP_CHECK = Duration.ofSeconds(10);

    @Produces
    @Singleton
    ShardOwnership shardOwnership(
            BridgeConfig config,
            OwnedShards status,
            ClusterMetrics metrics,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        ClusterSettings settings = ClusterSettings.from(config);
        if (!settings.enabled()) {
            return new SingleShard(settings, status, metrics);
        }
        return new ShardGroup(settings, kafka, status, metrics, () -> Quarkus.asyncExit(1));
    }

    /** Creates the ownership at startup, so a bad key or a coordination topic with another N stops it. */
    void check(@Observes StartupEvent event, ShardOwnership ownership) {
        if (ownership instanceof ShardGroup group) {
            group.checkTopic(STARTUP_CHECK);
        }
    }

    /**
     * SIGTERM: first of all, hand the shards back through the MQTT side (drain, acknowledge, disconnect) and leave
     * the group, so the next owners start on a clean session; the MQTT side's own drain then finds nothing left.
     */
    void leave(@Observes @Priority(0) ShutdownEvent event, ShardOwnership ownership) throws Exception {
        if (ownership instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
