package io.edgebridge.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the status view has read: whether it has caught up with what the status topic held when it started
 * (readiness), whether it has fallen behind since, and the marks that the hand-over of deadlines waits for. Pure:
 * offsets and time come in as arguments. Thread-safe (the view writes, readiness reads).
 */
final class ViewProgress {

    enum State {
        /** Reading what the status topic held at start; not ready yet. */
        CATCHING_UP,
        /** At the end offsets it saw at start, and since then at the end at least once per tolerance. */
        CAUGHT_UP,
        /** Not caught up when the start timeout passed, or behind for longer than the tolerance since. */
        LAGGING
    }

    private record Mark(Map<TopicPartition, Long> targets, CompletableFuture<Void> reached) {}

    private final Duration startTimeout;
    private final Duration lagTolerance;
    private final long startedNanos;
    private final List<Mark> marks = new ArrayList<>();
    private Map<TopicPartition, Long> startTargets; // null until the view knows its partitions
    private State state = State.CATCHING_UP;
    private boolean ready;
    private long behindSinceNanos = -1;
    private long lag = -1;

    ViewProgress(Duration startTimeout, Duration lagTolerance, long startedNanos) {
        this.startTimeout = startTimeout;
        this.lagTolerance = lagTolerance;
        this.startedNanos = startedNanos;
    }

    /** The end offsets of the status topic when the view started reading: readiness waits for them. */
    synchronized void started(Map<TopicPartition, Long> endOffsets) {
        startTargets = Map.copyOf(endOffsets);
    }

    /** {@code reached} completes once the view has read up to {@code endOffsets}. */
    synchronized void mark(Map<TopicPartition, Long> endOffsets, CompletableFuture<Void> reached) {
        marks.add(new Mark(Map.copyOf(endOffsets), reached));
    }

    /**
     * After each poll: the next offset to read of each partition and the records still to read (Kafka's figure,
     * -1 when unknown). Completes the marks reached; returns the new state when it changed, else null.
     */
    State read(Map<TopicPartition, Long> positions, long lagNow, long nowNanos) {
        List<CompletableFuture<Void>> reached = new ArrayList<>();
        State changed;
        synchronized (this) {
            lag = lagNow;
            for (Iterator<Mark> it = marks.iterator(); it.hasNext(); ) {
                Mark mark = it.next();
                if (reached(mark.targets(), positions)) {
                    reached.add(mark.reached());
                    it.remove();
                }
            }
            changed = next(positions, nowNanos);
            if (changed != null) {
                state = changed;
            }
        }
        reached.forEach(future -> future.complete(null)); // outside the lock: they run the hand-over
        return changed;
    }

    private State next(Map<TopicPartition, Long> positions, long nowNanos) {
        if (state == State.CATCHING_UP) {
            if (startTargets != null && reached(startTargets, positions)) {
                ready = true;
                return State.CAUGHT_UP;
            }
            if (nowNanos - startedNanos > startTimeout.toNanos()) {
                ready = true; // serve what it knows rather than hold a rollout; the hand-over still waits
                return State.LAGGING;
            }
            return null;
        }
        if (lag < 0) {
            return null; // Kafka has not said yet
        }
        if (lag == 0) {
            behindSinceNanos = -1;
            return state == State.LAGGING ? State.CAUGHT_UP : null;
        }
        if (behindSinceNanos < 0) {
            behindSinceNanos = nowNanos;
        }
        boolean behindTooLong = nowNanos - behindSinceNanos > lagTolerance.toNanos();
        return state == State.CAUGHT_UP && behindTooLong ? State.LAGGING : null;
    }

    private static boolean reached(Map<TopicPartition, Long> targets, Map<TopicPartition, Long> positions) {
        for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
            Long position = positions.get(target.getKey());
            if (position == null || position < target.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** True once caught up with the start, or once the start timeout passed; stays true. */
    synchronized boolean ready() {
        return ready;
    }

    synchronized State state() {
        return state;
    }

    /** Records still to read at the last poll, -1 before the first. */
    synchronized long lag() {
        return lag;
    }

    synchronized int pendingMarks() {
        return marks.size();
    }
}
