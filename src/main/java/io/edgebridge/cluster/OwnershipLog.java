package io.edgebridge.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Writes this member's ownership records to the coordination topic, each to its shard's partition. Acquisitions and
 * releases are waited for (a release must be in Kafka before the next owner's acquisition); heartbeats are not.
 * Used by the cluster thread only.
 */
final class OwnershipLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OwnershipLog.class);

    private final Producer<String, String> producer;
    private final String topic;
    private final String member;
    private final Duration timeout;
    private volatile boolean failing;

    OwnershipLog(Producer<String, String> producer, ClusterSettings settings) {
        this.producer = producer;
        this.topic = settings.topic();
        this.member = settings.memberId();
        this.timeout = settings.requestTimeout();
    }

    /** Writes and waits; the record's timestamp (the broker's, on a LogAppendTime topic), or -1 when it failed. */
    long write(int shard, OwnershipRecord.Event event) {
        try {
            RecordMetadata written = producer.send(record(shard, event)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            written(null);
            return written.timestamp();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            written(e instanceof ExecutionException ? e.getCause() : e);
            return -1;
        }
    }

    void heartbeat(int shard) {
        try {
            producer.send(record(shard, OwnershipRecord.Event.HEARTBEAT), (metadata, error) -> written(error));
        } catch (RuntimeException e) {
            written(e);
        }
    }

    private ProducerRecord<String, String> record(int shard, OwnershipRecord.Event event) {
        OwnershipRecord record = new OwnershipRecord(shard, event, member, Instant.now());
        return new ProducerRecord<>(topic, shard, record.key(), record.toJson());
    }

    /** The records only measure gaps: a failure is logged once per streak and changes nothing else. */
    private void written(Throwable error) {
        if (error == null) {
            if (failing) {
                failing = false;
                LOG.infof("Ownership records reach %s again", topic);
            }
        } else if (!failing) {
            failing = true;
            LOG.warnf(
                    "Cannot write ownership records to %s: %s; unowned times are not measured meanwhile",
                    topic, String.valueOf(error));
        }
    }

    @Override
    public void close() {
        producer.close(timeout);
    }
}
