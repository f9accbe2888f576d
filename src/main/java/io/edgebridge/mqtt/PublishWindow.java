package io.edgebridge.mqtt;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The command publisher's window: publishes go out in hand-over order, at most {@code maxUnacknowledged} at a time
 * (fewer when the broker accepts fewer), and each is finished only when the broker acknowledged it (PUBACK for QoS
 * 1, PUBCOMP for QoS 2). When the connection drops, the unacknowledged ones go back to the head of the queue, in
 * their order, to be sent again (a device may see a QoS 1 command twice, never lose it). A publish whose deadline
 * passes while it waits is not sent.
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
        /** Written; the broker has not acknowledged it. */
        IN_FLIGHT,
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
    private final Set<Publish<P>> inFlight = new HashSet<>();
    private int brokerLimit = Integer.MAX_VALUE;
    private long nextSeq;

    PublishWindow(int maxUnacknowledged) {
        this.maxUnacknowledged = maxUnacknowledged;
    }

    /** The broker's own limit for this connection (MQTT 5 Receive Maximum), below the window's. */
    void brokerLimit(int receiveMaximum) {
        brokerLimit = receiveMaximum;
    }

    Publish<P> enqueue(P item, Instant expiresAt) {
        Publish<P> publish = new Publish<>(nextSeq++, item, expiresAt);
        queue.add(publish);
        return publish;
    }

    /**
     * The next publish to write, now {@link State#IN_FLIGHT}; null when the window is full or nothing waits.
     * Publishes whose deadline passed are skipped, now {@link State#EXPIRED}, and added to {@code expired}.
     */
    Publish<P> nextToWrite(Instant now, List<Publish<P>> expired) {
        while (inFlight.size() < Math.min(maxUnacknowledged, brokerLimit) && !queue.isEmpty()) {
            Publish<P> next = queue.poll();
            if (!now.isBefore(next.expiresAt)) {
                next.state = State.EXPIRED;
                expired.add(next);
                continue;
            }
            next.state = State.IN_FLIGHT;
            inFlight.add(next);
            return next;
        }
        return null;
    }

    /**
     * The broker acknowledged it (or, QoS 0, it was written): true when that finishes it; false when it is no
     * longer in flight (its connection went away and it waits to be sent again).
     */
    boolean acknowledged(Publish<P> publish) {
        if (publish.state != State.IN_FLIGHT || !inFlight.remove(publish)) {
            return false;
        }
        publish.state = State.PUBLISHED;
        return true;
    }

    /** The connection is gone: what was not acknowledged goes back to the head of the queue, in its order. */
    int connectionLost() {
        List<Publish<P>> resend = new ArrayList<>(inFlight);
        resend.sort(Comparator.comparingLong(p -> p.seq));
        inFlight.clear();
        brokerLimit = Integer.MAX_VALUE;
        for (int i = resend.size() - 1; i >= 0; i--) {
            Publish<P> publish = resend.get(i);
            publish.state = State.QUEUED;
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
        List<Publish<P>> all = new ArrayList<>(inFlight);
        all.addAll(queue);
        all.sort(Comparator.comparingLong(p -> p.seq));
        inFlight.clear();
        queue.clear();
        all.forEach(publish -> publish.state = State.WITHDRAWN);
        return all;
    }

    /** Written and not yet acknowledged. */
    int unacknowledged() {
        return inFlight.size();
    }

    /** Handed over and not finished. */
    int pending() {
        return queue.size() + inFlight.size();
    }
}
