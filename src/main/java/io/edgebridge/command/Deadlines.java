package io.edgebridge.command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * Response deadlines of published commands, earliest first (ties in correlation id order), kept apart by the
 * partition of the commands topic each command belongs to: a replica takes only those of the partitions it owns, and
 * the others wait, untouched, for their owner's time-out or for a hand-over. Sorted sets, so a deadline leaves in
 * O(log n) when its command finishes, and nothing is ever pruned in bulk. Pure, not thread-safe.
 */
final class Deadlines {

    record Deadline(Instant at, String correlationId) {}

    private static final Comparator<Deadline> EARLIEST_FIRST =
            Comparator.comparing(Deadline::at).thenComparing(Deadline::correlationId);

    private final Map<Integer, TreeSet<Deadline>> byPartition = new HashMap<>();
    private int size;

    /** Adds the deadline of {@code event} if it is a published command's; anything else has none. */
    void add(StatusEvent event, int partition) {
        if (hasDeadline(event)
                && byPartition
                        .computeIfAbsent(partition, p -> new TreeSet<>(EARLIEST_FIRST))
                        .add(deadline(event))) {
            size++;
        }
    }

    /** Removes the deadline {@link #add} would have added for {@code event}, if any. */
    void remove(StatusEvent event, int partition) {
        TreeSet<Deadline> deadlines = byPartition.get(partition);
        if (hasDeadline(event) && deadlines != null && deadlines.remove(deadline(event))) {
            size--;
        }
    }

    /** Takes up to {@code max} deadlines at or before {@code now} of the partitions {@code owned}, earliest first. */
    List<Deadline> due(Instant now, int max, IntPredicate owned) {
        List<Deadline> taken = new ArrayList<>();
        while (taken.size() < max) {
            TreeSet<Deadline> earliest = earliestDue(now, owned);
            if (earliest == null) {
                break;
            }
            taken.add(earliest.pollFirst());
            size--;
        }
        return taken;
    }

    boolean hasDue(Instant now, IntPredicate owned) {
        return earliestDue(now, owned) != null;
    }

    int size() {
        return size;
    }

    void clear() {
        byPartition.clear();
        size = 0;
    }

    /** The owned partition whose first deadline is the earliest one due; a few dozen partitions at most. */
    private TreeSet<Deadline> earliestDue(Instant now, IntPredicate owned) {
        TreeSet<Deadline> earliest = null;
        for (Map.Entry<Integer, TreeSet<Deadline>> partition : byPartition.entrySet()) {
            TreeSet<Deadline> deadlines = partition.getValue();
            if (!deadlines.isEmpty()
                    && !deadlines.first().at().isAfter(now)
                    && owned.test(partition.getKey())
                    && (earliest == null || EARLIEST_FIRST.compare(deadlines.first(), earliest.first()) < 0)) {
                earliest = deadlines;
            }
        }
        return earliest;
    }

    private static Deadline deadline(StatusEvent event) {
        return new Deadline(event.expiresAt(), event.correlationId());
    }

    private static boolean hasDeadline(StatusEvent event) {
        return event.status() == CommandStatus.PUBLISHED && event.expiresAt() != null;
    }
}
