package io.edgebridge.mqtt;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The telemetry session's window: the messages received from the broker and not yet both answered by Kafka and
 * settled with the broker. It decides what is admitted, what waits for room and what is beyond the window, and
 * releases broker acknowledgements in the order the messages arrived (MQTT 3.1.1 section 4.6; MQTT 5 section
 * 4.6), each only after Kafka acknowledged that message.
 *
 * <p>A message leaves the window only when Kafka has answered for it (or it was never handed over) and the broker
 * side is settled: acknowledged, left to the broker to send again, or QoS 0. A message Kafka acknowledged that waits
 * behind an earlier one still counts: its memory is still held. Pure: no I/O and no clock; confined to one thread.
 *
 * @param <M> the client's handle of a received message, given back to {@code acknowledge}
 */
final class InboundWindow<M> {

    /** Where a message in the window stands. */
    enum State {
        /** Admitted, waiting for the stream's demand. */
        RECEIVED,
        /** Handed to the stream: Kafka has not answered. */
        SENT,
        /** Kafka acknowledged it; its broker acknowledgement waits for the earlier messages'. */
        ACKED,
        /** Kafka refused it: never acknowledged, so the broker sends it again once the session is reopened. */
        REFUSED,
        /** Its connection is gone while Kafka still has it: no acknowledgement will be sent for it. */
        ABANDONED,
        /** No longer in the window. */
        LEFT
    }

    /** What became of an offered message. */
    enum Admission {
        /** In the window. */
        ADMITTED,
        /** No room: held, in arrival order, until there is; reading should pause. */
        HELD,
        /** Beyond the window: a QoS 0 message is dropped, a QoS 1/2 one left unacknowledged for a reopen. */
        BEYOND
    }

    /** What Kafka's answer for a message asks of the session. */
    enum Answer {
        NOTHING,
        /** A QoS 0 message Kafka refused is lost (at most once). */
        DROPPED_QOS0,
        /** A QoS 1/2 message Kafka refused: reopen the session so the broker sends it again. */
        REDELIVER
    }

    /** One message in the window. */
    static final class Entry<M> {
        final M message;
        final int qos;
        private long size; // its payload, and the records built from it once known
        private State state = State.RECEIVED;

        private Entry(M message, int qos, int size) {
            this.message = message;
            this.qos = qos;
            this.size = size;
        }

        State state() {
            return state;
        }
    }

    private record Held<M>(M message, int qos, int size) {}

    private final int maxMessages;
    private final long maxBytes;
    private final int maxHeld;
    private final Consumer<M> acknowledge;

    private final ArrayDeque<Entry<M>> toEmit = new ArrayDeque<>(); // RECEIVED, in arrival order
    private final ArrayDeque<Entry<M>> toRelease = new ArrayDeque<>(); // QoS 1/2 of this connection, not yet settled
    private final ArrayDeque<Held<M>> held = new ArrayDeque<>(); // read while there was no room
    private long heldBytes;
    private int count;
    private long bytes;
    private int withKafka; // SENT or ABANDONED: handed over, not answered
    private long departures;
    private boolean beyond;

    /**
     * @param maxHeld     messages already read when reading paused that may wait for room (one socket read's worth)
     * @param acknowledge sends the broker acknowledgement of a message, called in arrival order
     */
    InboundWindow(int maxMessages, long maxBytes, int maxHeld, Consumer<M> acknowledge) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.maxHeld = maxHeld;
        this.acknowledge = acknowledge;
    }

    /**
     * A message the broker sent. Admitted while there is room and nothing waits before it; held when there is no
     * room and reading has paused (or is about to: nothing is held yet); beyond the window otherwise, or once
     * something was beyond it on this connection.
     */
    Admission offer(M message, int qos, int size, boolean readsPaused) {
        if (!beyond && !readsPaused && held.isEmpty() && fits(size)) {
            admit(message, qos, size);
            return Admission.ADMITTED;
        }
        if (!beyond && (readsPaused || held.isEmpty()) && held.size() < maxHeld && heldBytes + size <= maxBytes) {
            held.add(new Held<>(message, qos, size));
            heldBytes += size;
            return Admission.HELD;
        }
        if (qos > 0) {
            beyond = true;
        }
        return Admission.BEYOND;
    }

    /** Admits held messages, in order, while they fit. */
    void admitHeld() {
        while (!held.isEmpty() && !beyond && fits(held.peek().size())) {
            Held<M> next = held.poll();
            heldBytes -= next.size();
            admit(next.message(), next.qos(), next.size());
        }
    }

    /**
     * The next admitted message for the stream, now {@link State#SENT}; null when none waits, or while what was
     * handed over holds more than the window's bytes (records built from a message can be larger than its payload).
     */
    Entry<M> emit() {
        if (bytes > maxBytes && withKafka > 0) {
            return null;
        }
        Entry<M> next = toEmit.poll();
        if (next != null) {
            next.state = State.SENT;
            withKafka++;
        }
        return next;
    }

    /**
     * The records built from a handed-over message take {@code extra} bytes besides its payload: the window counts
     * them until the message leaves.
     */
    void grow(Entry<M> entry, long extra) {
        if (extra > 0 && (entry.state == State.SENT || entry.state == State.ABANDONED)) {
            entry.size += extra;
            bytes += extra;
        }
    }

    /** Kafka answered for {@code entry}; acknowledgements it unblocks are released. */
    Answer answered(Entry<M> entry, boolean accepted) {
        if (entry.state != State.SENT && entry.state != State.ABANDONED) {
            throw new IllegalStateException("Kafka answered twice, or for a message never sent: " + entry.state);
        }
        withKafka--;
        if (entry.state == State.ABANDONED) {
            leave(entry);
            return Answer.NOTHING;
        }
        if (entry.qos == 0) {
            leave(entry);
            return accepted ? Answer.NOTHING : Answer.DROPPED_QOS0;
        }
        if (!accepted) {
            entry.state = State.REFUSED; // blocks the acknowledgements after it until the session is reopened
            return Answer.REDELIVER;
        }
        entry.state = State.ACKED;
        release();
        return Answer.NOTHING;
    }

    /** Acknowledges, in arrival order, the messages Kafka acknowledged, up to the first it has not. */
    private void release() {
        while (!toRelease.isEmpty() && toRelease.peek().state == State.ACKED) {
            Entry<M> entry = toRelease.poll();
            acknowledge.accept(entry.message);
            leave(entry);
        }
    }

    /**
     * Stops taking messages from this connection: QoS 1/2 messages not yet handed to the stream are forgotten
     * (unacknowledged, the broker keeps them for the session); QoS 0 ones stay, as nobody would send them again.
     */
    void forgetUnsent() {
        toEmit.removeIf(entry -> {
            if (entry.qos > 0) {
                leave(entry);
                return true;
            }
            return false;
        });
        held.removeIf(h -> h.qos() > 0);
        heldBytes = held.stream().mapToLong(Held::size).sum();
    }

    /**
     * The connection is gone: the broker sends again whatever was not acknowledged on it. Messages Kafka still has
     * stay in the window, abandoned, until it answers; the rest of this connection's messages leave.
     */
    void connectionLost() {
        forgetUnsent();
        for (Entry<M> entry : toRelease) {
            if (entry.state == State.SENT) {
                entry.state = State.ABANDONED;
            } else if (entry.state == State.ACKED || entry.state == State.REFUSED) {
                leave(entry);
            }
        }
        toRelease.clear();
        beyond = false;
    }

    private void admit(M message, int qos, int size) {
        Entry<M> entry = new Entry<>(message, qos, size);
        count++;
        bytes += size;
        toEmit.add(entry);
        if (qos > 0) {
            toRelease.add(entry);
        }
    }

    private void leave(Entry<M> entry) {
        departures++;
        entry.state = State.LEFT;
        count--;
        bytes -= entry.size;
    }

    /** Room for a message of {@code size} bytes; an empty window takes any one message, so none is stuck. */
    private boolean fits(int size) {
        return count == 0 || count < maxMessages && bytes + size <= maxBytes;
    }

    boolean isFull() {
        return count >= maxMessages || bytes >= maxBytes;
    }

    /** A quarter of the window is free and nothing is held: reading may resume (fewer pause/resume turns). */
    boolean hasRoomToResume() {
        return held.isEmpty() && count <= maxMessages * 3 / 4 && bytes <= maxBytes / 4 * 3;
    }

    /** Something was beyond the window and everything handed over was answered: time to reopen the session. */
    boolean needsReopen() {
        return beyond && toEmit.isEmpty() && withKafka == 0;
    }

    /** Something was beyond the window on this connection (messages the broker will have to send again). */
    boolean isBeyond() {
        return beyond;
    }

    boolean hasWaiting() {
        return !toEmit.isEmpty();
    }

    boolean hasHeld() {
        return !held.isEmpty();
    }

    /** Messages in the window. */
    int count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    /** How many messages have left the window so far: it moves while this grows. */
    long departures() {
        return departures;
    }

    /** Messages handed to the stream that Kafka has not answered yet. */
    int withKafka() {
        return withKafka;
    }

    int capacity() {
        return maxMessages;
    }
}
