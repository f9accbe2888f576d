package io.edgebridge.mqtt;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command publisher's window: publishes go out in hand-over order, at most {@code maxUnacknowledged} at a time,
 * and each is finished only when the broker acknowledged it (PUBACK for QoS 1, PUBCOMP for QoS 2). When the
 * connection drops, the unacknowledged ones go back to the head of the queue, in their order, to be sent again (a
 * device may see a QoS 1 command twice, never lose it). A publish whose deadline passes while it waits is not sent.
 *
 * <p>Pure: no I/O and no clock (the time is passed in); confined to one thread.
 *
 * @param <P> what is published, with whatever the caller needs to report its outcome
 */
final class PublishWindow<P> {

    /** Where a publish stands. */
    enum State {
        /** Waiting to be written. */
        QUEUED,
        /** Handed to the client; its packet id is not known yet. */
        WRITING,
        /** Written with its packet id; the broker has not acknowledged it. */
        AWAITING_ACK,
        /** The broker acknowledged it (or, QoS 0, it was written). */
        PUBLISHED,
        /** Its deadline passed before it could be written. */
        EXPIRED,
        /** Taken back: the publisher stopped. */
        WITHDRAWN
    }

    /** One publish. */
    static final class Publish<P> {
        final P item;
        final Instant expiresAt;
        private final long seq;
        private State state = State.QUEUED;
        private int packetId = -1;

        private Publish(long seq, P item, Instant expiresAt) {
            this.seq = seq;
            this.item = item;
            this.expiresAt = expiresAt;
        }

        State state() {
            return state;
        }
    }

    private final int maxUnacknowledged;
    private final ArrayDeque<Publish<P>> queue = new ArrayDeque<>();
    private final List<Publish<P>> writing = new ArrayList<>();
    private final Map<Integer, Publish<P>> awaitingAck = new HashMap<>();
    // The client may report a packet id's acknowledgement before it reports the id of the write.
    private final Set<Integer> earlyAcks = new HashSet<>();
    private long nextSeq;

    PublishWindow(int maxUnacknowledged) {
        this.maxUnacknowledged = maxUnacknowledged;
    }

    Publish<P> enqueue(P item, Instant expiresAt) {
        Publish<P> publish = new Publish<>(nextSeq++, item, expiresAt);
        queue.add(publish);
        return publish;
    }

    /**
     * The next publish to write, now {@link State#WRITING}; null when the window is full or nothing waits. Publishes
     * whose deadline passed are skipped, now {@link State#EXPIRED}, and added to {@code expired}.
     */
    Publish<P> nextToWrite(Instant now, List<Publish<P>> expired) {
        while (unacknowledged() < maxUnacknowledged && !queue.isEmpty()) {
            Publish<P> next = queue.poll();
            if (!now.isBefore(next.expiresAt)) {
                next.state = State.EXPIRED;
                expired.add(next);
                continue;
            }
            next.state = State.WRITING;
            writing.add(next);
            return next;
        }
        return null;
    }

    /**
     * The client wrote it with {@code packetId} (QoS 1/2). True when it is finished by that: the acknowledgement
     * had already arrived. False also when the publish is no longer being written (its connection went away).
     */
    boolean written(Publish<P> publish, int packetId) {
        if (publish.state != State.WRITING || !writing.remove(publish)) {
            return false;
        }
        if (earlyAcks.remove(packetId)) {
            publish.state = State.PUBLISHED;
            return true;
        }
        publish.state = State.AWAITING_ACK;
        publish.packetId = packetId;
        awaitingAck.put(packetId, publish);
        return false;
    }

    /** The client wrote a QoS 0 publish: that finishes it. False when it is no longer being written. */
    boolean writtenAtMostOnce(Publish<P> publish) {
        if (publish.state != State.WRITING || !writing.remove(publish)) {
            return false;
        }
        publish.state = State.PUBLISHED;
        return true;
    }

    /** The broker acknowledged {@code packetId}: the publish it finished, or null while its write is unreported. */
    Publish<P> acknowledged(int packetId) {
        Publish<P> publish = awaitingAck.remove(packetId);
        if (publish == null) {
            earlyAcks.add(packetId);
            return null;
        }
        publish.state = State.PUBLISHED;
        return publish;
    }

    /** The connection is gone: what was not acknowledged goes back to the head of the queue, in its order. */
    int connectionLost() {
        List<Publish<P>> resend = new ArrayList<>(writing);
        resend.addAll(awaitingAck.values());
        resend.sort(Comparator.comparingLong(p -> p.seq));
        writing.clear();
        awaitingAck.clear();
        earlyAcks.clear();
        for (int i = resend.size() - 1; i >= 0; i--) {
            Publish<P> publish = resend.get(i);
            publish.state = State.QUEUED;
            publish.packetId = -1;
            queue.addFirst(publish);
        }
        return resend.size();
    }

    /** Queued publishes whose deadline passed, now {@link State#EXPIRED}: they expire on time, not on reconnect. */
    List<Publish<P>> expireQueued(Instant now) {
        List<Publish<P>> expired = new ArrayList<>();
        queue.removeIf(publish -> {
            if (!now.isBefore(publish.expiresAt)) {
                publish.state = State.EXPIRED;
                expired.add(publish);
                return true;
            }
            return false;
        });
        return expired;
    }

    /** Takes back everything not finished (the publisher stops), in hand-over order, now {@link State#WITHDRAWN}. */
    List<Publish<P>> withdrawAll() {
        List<Publish<P>> all = new ArrayList<>(writing);
        all.addAll(awaitingAck.values());
        all.addAll(queue);
        all.sort(Comparator.comparingLong(p -> p.seq));
        writing.clear();
        awaitingAck.clear();
        earlyAcks.clear();
        queue.clear();
        all.forEach(publish -> publish.state = State.WITHDRAWN);
        return all;
    }

    /** Written and not yet acknowledged. */
    int unacknowledged() {
        return writing.size() + awaitingAck.size();
    }

    /** Handed over and not finished. */
    int pending() {
        return queue.size() + unacknowledged();
    }
}
