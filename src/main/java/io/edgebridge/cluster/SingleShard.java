package io.edgebridge.cluster;

import io.edgebridge.health.OwnedShards;
import io.edgebridge.metrics.ClusterMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Clustering off ({@code bridge.cluster.enabled=false}): no group, no Kafka; this replica owns shard 0 of 1 from
 * start to shutdown, so the MQTT side runs the same code with or without a cluster.
 */
public final class SingleShard implements ShardOwnership, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SingleShard.class);

    private final String memberId;
    private final Duration releaseTimeout;
    private final OwnedShards status;
    private final ClusterMetrics metrics;
    private volatile boolean owned = true;
    private ShardListener listener;

    public SingleShard(ClusterSettings settings, OwnedShards status, ClusterMetrics metrics) {
        this.memberId = settings.memberId();
        this.releaseTimeout = settings.releaseTimeout();
        this.status = status;
        this.metrics = metrics;
        status.describe(false, memberId, 1);
        status.update(List.of(0), List.of());
        metrics.handover("acquired");
        LOG.infof("Shard 0/1 acquired by %s for good: clustering is off (bridge.cluster.enabled=false)", memberId);
    }

    @Override
    public int shards() {
        return 1;
    }

    @Override
    public String memberId() {
        return memberId;
    }

    @Override
    public synchronized void start(ShardListener shardListener) {
        if (listener != null) {
            throw new IllegalStateException("the shard ownership was started already");
        }
        listener = shardListener;
        if (owned) {
            listener.acquired(0);
        }
    }

    @Override
    public boolean mayConnect(int shard) {
        return shard == 0 && owned;
    }

    @Override
    public List<Integer> owned() {
        return owned ? List.of(0) : List.of();
    }

    /** Shutdown: the session is released (drained and disconnected) like any hand-over, bounded the same way. */
    @Override
    public void close() {
        ShardListener told;
        synchronized (this) {
            if (!owned) {
                return;
            }
            owned = false;
            told = listener;
        }
        status.update(List.of(), List.of(0));
        if (told != null) {
            try {
                CompletionStage<Void> release = told.releasing(0);
                if (release != null) {
                    release.toCompletableFuture().get(releaseTimeout.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warnf("Shard 0/1: its session did not confirm the release: %s", String.valueOf(e));
            }
        }
        status.update(List.of(), List.of());
        metrics.handover("released");
        LOG.infof("Shard 0/1 released by %s", memberId);
    }
}
