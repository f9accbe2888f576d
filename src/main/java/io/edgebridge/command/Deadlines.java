package io.edgebridge.command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Response deadlines of published commands, earliest first (ties in correlation id order). A sorted set, so a
 * deadline leaves in O(log n) when its command finishes, and nothing is ever pruned in bulk. Pure, not thread-safe.
 */
final class Deadlines {

    record Deadline(Instant at, String correlationId) {}

    private final TreeSet<Deadline> due =
            new TreeSet<>(Comparator.comparing(Deadline::at).thenComparing(Deadline::correlationId));

    /** Adds the deadline of {@code event} if it is a published command's; anything else has none. */
    void add(StatusEvent event) {
        if (hasDeadline(event)) {
            due.add(new Deadline(event.expiresAt(), event.correlationId()));
        }
    }

    /** Removes the deadline {@link #add} would have added for {@code event}, if any. */
    void remove(StatusEvent event) {
        if (hasDeadline(event)) {
            due.remove(new Deadline(event.expiresAt(), event.correlationId()));
        }
    }

    /** Takes up to {@code max} deadlines at or before {@code now}, earliest first. */
    List<Deadline> due(Instant now, int max) {
        List<Deadline> taken = new ArrayList<>();
        while (taken.size() < max && hasDue(now)) {
            taken.add(due.pollFirst());
        }
        return taken;
    }

    boolean hasDue(Instant now) {
        return !due.isEmpty() && !due.first().at().isAfter(now);
    }

    int size() {
        return due.size();
    }

    private static boolean hasDeadline(StatusEvent event) {
        return event.status() == CommandStatus.PUBLISHED && event.expiresAt() != null;
    }
}
