package io.edgebridge.cluster;

import io.edgebridge.metrics.ClusterMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * How long each shard this member acquires had no owner: the member seeks to the last record of the shard's
 * partition (the previous owner's release, or its last heartbeat if it crashed), writes its own acquisition record,
 * and measures between the two, then logs the acquisition (its one line) and records the time. Runs on the cluster
 * thread only.
 */
final class History {

    private static final Logger LOG = Logger.getLogger(History.class);
    /** Previous-record timestamps that are not one: the partition was empty, or could not be read. */
    private static final long FIRST = -2;

    private static final long UNKNOWN = -1;

    private final ClusterSettings settings;
    private final Ownership ownership;
    private final Consumer<String, String> consumer;
    private final OwnershipLog records;
    private final ClusterMetrics metrics;
    /** Acquired shards whose previous owner's last record is being read: where, when acquired, and until when. */
    private final Map<Integer, Pending> pending = new HashMap<>();

    private record Pending(long offset, long acquiredNanos, long deadlineNanos) {}

    History(
            ClusterSettings settings,
            Ownership ownership,
            Consumer<String, String> consumer,
            OwnershipLog records,
            ClusterMetrics metrics) {
        this.settings = settings;
        this.ownership = ownership;
        this.consumer = consumer;
        this.records = records;
        this.metrics = metrics;
    }

    /** True while the shard's previous record is awaited (its own records would be read in its place). */
    boolean reading(int shard) {
        return pending.containsKey(shard);
    }

    /** The shard left this member before its history arrived: nothing to report. */
    void forget(int shard) {
        pending.remove(shard);
    }

    /** Finishes the acquisitions whose previous record arrived; other records are this member's own. */
    void read(ConsumerRecords<String, String> polled) {
        for (ConsumerRecord<String, String> record : polled) {
            Pending waiting = pending.get(record.partition());
            if (waiting != null && record.offset() == waiting.offset()) {
                pending.remove(record.partition());
                finishAcquisition(
                        record.partition(),
                        OwnershipRecord.parse(record.value()),
                        record.timestamp(),
                        waiting.acquiredNanos());
            }
        }
    }

    /** Acquisitions whose previous record did not arrive in time are reported without their unowned time. */
    void expire(long nowNanos) {
        List<Integer> late = new ArrayList<>();
        pending.forEach((shard, waiting) -> {
            if (nowNanos - waiting.deadlineNanos() > 0) {
                late.add(shard);
            }
        });
        for (int shard : late) {
            finishAcquisition(
                    shard, Optional.empty(), UNKNOWN, pending.remove(shard).acquiredNanos());
        }
    }

    /** Where the previous owner's last record is: one before the end of the shard's partition. */
    void readPrevious(List<Integer> acquired, long acquiredNanos) {
        List<TopicPartition> partitions = acquired.stream()
                .map(shard -> new TopicPartition(settings.topic(), shard))
                .toList();
        Map<TopicPartition, Long> ends;
        try {
            ends = consumer.endOffsets(partitions, settings.requestTimeout());
        } catch (KafkaException e) {
            ends = Map.of();
        }
        long deadline = System.nanoTime() + settings.sessionTimeout().toNanos();
        for (TopicPartition partition : partitions) {
            Long end = ends.get(partition);
            if (end == null || end == 0) {
                finishAcquisition(
                        partition.partition(), Optional.empty(), end == null ? UNKNOWN : FIRST, acquiredNanos);
            } else {
                consumer.seek(partition, end - 1);
                pending.put(partition.partition(), new Pending(end - 1, acquiredNanos, deadline));
            }
        }
    }

    /**
     * Writes this member's acquisition record and reports the acquisition, with the time the shard had no owner when
     * the previous owner's record was read ({@code previousTimestamp} {@link #FIRST} or {@link #UNKNOWN} otherwise).
     * The gap ends at the acquisition itself: the record's broker time less the local time spent reading the history
     * (a duration on this member's monotonic clock, so no two clocks are compared).
     */
    private void finishAcquisition(
            int shard, Optional<OwnershipRecord> previous, long previousTimestamp, long acquiredNanos) {
        if (ownership.state(shard) != ShardState.OWNED) {
            return; // given up again before its history arrived
        }
        long sent = System.nanoTime();
        long written = records.write(shard, OwnershipRecord.Event.ACQUIRED);
        long acquiredTimestamp = written < 0 ? written : written - (sent - acquiredNanos) / 1_000_000;
        String who = "Shard " + shard + "/" + settings.shards() + " acquired by " + settings.memberId();
        if (previousTimestamp == FIRST) {
            LOG.infof("%s, its first owner", who);
        } else if (previousTimestamp < 0 || acquiredTimestamp < 0) {
            LOG.infof("%s (unowned time unknown: the coordination topic could not be read or written)", who);
        } else {
            Duration unowned = OwnershipRecord.unowned(previousTimestamp, acquiredTimestamp);
            metrics.shardUnowned(unowned);
            LOG.infof("%s: unowned for %s since %s", who, unowned, OwnershipRecord.lastWord(previous));
        }
    }
}
