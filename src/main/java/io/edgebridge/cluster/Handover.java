package io.edgebridge.cluster;

import io.edgebridge.health.OwnedShards;
import io.edgebridge.metrics.ClusterMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * What the group decides, carried out: partitions assigned, revoked or lost become shards acquired, released or
 * lost, told to the MQTT side, counted, logged (one line each) and written to the coordination topic. A revocation
 * returns only once the MQTT side has released the shard, so the group gives it to the next owner only after.
 * Runs on the cluster thread only, inside the consumer's poll (the callbacks) or between polls.
 */
final class Handover implements ConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(Handover.class);

    private final ClusterSettings settings;
    private final Ownership ownership;
    private final Consumer<String, String> consumer;
    private final OwnershipLog records;
    private final ShardListener listener;
    private final OwnedShards status;
    private final ClusterMetrics metrics;
    private final BooleanSupplier renew;
    private final History history;

    private long nextHeartbeat = System.nanoTime();

    Handover(
            ClusterSettings settings,
            Ownership ownership,
            Consumer<String, String> consumer,
            OwnershipLog records,
            ShardListener listener,
            OwnedShards status,
            ClusterMetrics metrics,
            BooleanSupplier renew) {
        this.settings = settings;
        this.ownership = ownership;
        this.consumer = consumer;
        this.records = records;
        this.listener = listener;
        this.status = status;
        this.metrics = metrics;
        this.renew = renew;
        this.history = new History(settings, ownership, consumer, records, metrics);
    }

    // ---- the group's decisions ----------------------------------------------------------------------------------

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            // The assignment may have been read after a long pause: act on it once the coordinator confirms it now.
            renew.getAsBoolean();
            acquireAssigned();
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        Map<Integer, CompletableFuture<Void>> releases = new LinkedHashMap<>();
        for (int shard : shards(partitions)) {
            history.forget(shard);
            if (ownership.release(shard)) {
                LOG.infof(
                        "Shard %d/%d releasing by %s: its session finishes what Kafka has, then disconnects",
                        shard, settings.shards(), settings.memberId());
                releases.put(shard, stage(shard));
            }
        }
        if (releases.isEmpty()) {
            return;
        }
        publish();
        long started = System.nanoTime();
        if (!awaitReleases(releases.values(), started)) {
            return; // lost meanwhile: each shard was reported lost, there is nothing left to hand over
        }
        for (Map.Entry<Integer, CompletableFuture<Void>> release : releases.entrySet()) {
            int shard = release.getKey();
            if (ownership.released(shard)) {
                // In Kafka before the group hears the revocation is done, so before the next owner's acquisition.
                records.write(shard, OwnershipRecord.Event.RELEASED);
                metrics.handover("released");
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                if (release.getValue().isDone() && !release.getValue().isCompletedExceptionally()) {
                    LOG.infof(
                            "Shard %d/%d released by %s after %s", shard, settings.shards(), settings.memberId(), took);
                } else {
                    LOG.warnf(
                            "Shard %d/%d released by %s after %s without its session confirming the drain (%s): the"
                                    + " next owner may see duplicates",
                            shard,
                            settings.shards(),
                            settings.memberId(),
                            took,
                            release.getValue().isDone() ? "it failed" : "timed out");
                }
            }
        }
        publish();
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        ownership.endLease();
        lose(shards(partitions), "the group no longer counts this member");
    }

    // ---- between polls ------------------------------------------------------------------------------------------

    /** Gives everything up once the lease ran out, before the group can have given it to anyone else. */
    void checkLease(long nowNanos) {
        List<Integer> lapsed = ownership.lapsed(nowNanos);
        if (!lapsed.isEmpty()) {
            Duration age = ownership.leaseAge(nowNanos);
            lose(
                    lapsed,
                    "no confirmed contact with the group coordinator for " + (age == null ? "ever" : age) + " (lease "
                            + settings.lease() + ")");
        }
    }

    /** Gives up everything held, without a hand-over: this member can no longer follow the group. */
    void abandon(String why) {
        lose(ownership.held(), why);
    }

    /** Takes the shards the group assigned and this member does not hold yet, while the lease holds. */
    void acquireAssigned() {
        long now = System.nanoTime();
        List<Integer> acquired = new ArrayList<>();
        for (int shard : shards(consumer.assignment())) {
            if (ownership.acquire(shard, now)) {
                acquired.add(shard);
            }
        }
        if (acquired.isEmpty()) {
            return;
        }
        publish();
        for (int shard : acquired) {
            metrics.handover("acquired");
            tell("acquired", shard, () -> listener.acquired(shard));
        }
        history.readPrevious(acquired, now);
    }

    /** The previous owners' last records, read for the acquisitions that asked for them. */
    void read(ConsumerRecords<String, String> polled) {
        history.read(polled);
    }

    /** Acquisitions whose previous record did not arrive in time are reported without their unowned time. */
    void expire(long nowNanos) {
        history.expire(nowNanos);
    }

    /** Ownership heartbeats: after a crash, the next owner measures the gap from the last one. */
    void heartbeats(long nowNanos) {
        if (nowNanos - nextHeartbeat < 0 || !ownership.leaseValid(nowNanos)) {
            return;
        }
        nextHeartbeat = nowNanos + settings.recordInterval().toNanos();
        for (int shard : ownership.in(ShardState.OWNED)) {
            if (!history.reading(shard)) {
                records.heartbeat(shard);
            }
        }
    }

    // ---- steps --------------------------------------------------------------------------------------------------

    private CompletableFuture<Void> stage(int shard) {
        try {
            CompletionStage<Void> stage = listener.releasing(shard);
            return stage == null ? CompletableFuture.completedFuture(null) : stage.toCompletableFuture();
        } catch (RuntimeException e) {
            LOG.errorf(e, "The MQTT side failed to release shard %d", shard);
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Waits for the releases, bounded by {@link ClusterSettings#releaseTimeout()}, renewing the lease meanwhile (the
     * shards not being released stay this member's); false when the lease ran out and everything was given up.
     */
    private boolean awaitReleases(Collection<CompletableFuture<Void>> releases, long started) {
        CompletableFuture<Void> all = CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new));
        long deadline = started + settings.releaseTimeout().toNanos();
        while (!all.isDone() && System.nanoTime() - deadline < 0) {
            long slice = Math.min(settings.pollTimeout().toNanos(), deadline - System.nanoTime());
            try {
                all.get(Math.max(1, slice), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException expected) {
                // still draining, or done with a failure that the caller reports
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            renew.getAsBoolean();
            long now = System.nanoTime();
            if (!ownership.leaseValid(now)) {
                checkLease(now);
                return false;
            }
        }
        return true;
    }

    private void lose(List<Integer> shards, String why) {
        List<Integer> lost = new ArrayList<>();
        for (int shard : shards) {
            history.forget(shard);
            if (ownership.lose(shard)) {
                lost.add(shard);
            }
        }
        if (lost.isEmpty()) {
            return;
        }
        publish();
        for (int shard : lost) {
            metrics.handover("lost");
            LOG.warnf(
                    "Shard %d/%d lost by %s: %s; its session disconnects without acknowledging more",
                    shard, settings.shards(), settings.memberId(), why);
            tell("lost", shard, () -> listener.lost(shard));
        }
    }

    private void tell(String what, int shard, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "The MQTT side failed on shard %d %s", shard, what);
        }
    }

    private void publish() {
        status.update(ownership.in(ShardState.OWNED), ownership.in(ShardState.RELEASING));
    }

    private List<Integer> shards(Collection<TopicPartition> partitions) {
        return partitions.stream()
                .filter(p -> p.topic().equals(settings.topic()))
                .map(TopicPartition::partition)
                .filter(shard -> shard >= 0 && shard < settings.shards())
                .sorted()
                .toList();
    }
}
