package io.edgebridge.command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * The latest status of at most {@code maxTracked} commands, the first remembered let go first, and the deadlines of
 * exactly those remembered commands that are published and unanswered, by the partition of the commands topic each
 * belongs to ({@link DeadlineOwnership#partitionOf}). Pure: time and the partitions owned come in as arguments; not
 * thread-safe (the tracker holds a lock around it).
 */
final class StatusMemory {

    /**
     * What remembering one event did.
     *
     * @param kept false when the remembered status stays instead (see {@link #supersedes})
     * @param letGo the command let go to stay within the bound, or null
     */
    record Change(boolean kept, StatusEvent letGo) {

        /** A published command was let go: GET no longer knows it and no time-out will be reported for it. */
        boolean forgotPublished() {
            return letGo != null && letGo.status() == CommandStatus.PUBLISHED;
        }
    }

    private static final Change REFUSED = new Change(false, null);
    private static final Change KEPT = new Change(true, null);

    private final int maxTracked;
    private final Map<String, StatusEvent> latest = new LinkedHashMap<>(1024); // first remembered first
    private final Deadlines deadlines = new Deadlines();
    private int partitions; // of the commands topic; 0 until known

    StatusMemory(int maxTracked) {
        if (maxTracked <= 0) {
            throw new IllegalArgumentException("maxTracked must be positive, is " + maxTracked);
        }
        this.maxTracked = maxTracked;
    }

    Change remember(StatusEvent event) {
        StatusEvent previous = latest.get(event.correlationId());
        if (previous != null && !supersedes(event, previous)) {
            return REFUSED;
        }
        latest.put(event.correlationId(), event); // a known command keeps its age
        if (previous != null) {
            deadlines.remove(previous, partitionOf(previous));
        }
        deadlines.add(event, partitionOf(event));
        if (latest.size() <= maxTracked) {
            return KEPT;
        }
        Iterator<StatusEvent> oldest = latest.values().iterator();
        StatusEvent letGo = oldest.next();
        oldest.remove();
        deadlines.remove(letGo, partitionOf(letGo));
        return new Change(true, letGo);
    }

    /**
     * The commands topic has {@code count} partitions (known at the first assignment, changed when it grows); 0 or
     * less: not known, the count known before stays.
     */
    void partitions(int count) {
        if (count <= 0 || count == partitions) {
            return;
        }
        partitions = count;
        deadlines.clear();
        latest.values().forEach(event -> deadlines.add(event, partitionOf(event)));
    }

    private int partitionOf(StatusEvent event) {
        return DeadlineOwnership.partitionOf(event.deviceId(), partitions);
    }

    /**
     * Whether {@code event} replaces {@code current}, the remembered status of the same command. A status never
     * moves back: accepted, then published, then how it ended, where a response outranks the other endings (a
     * device that answered late, or while another replica reported the time-out, did answer). Between equals the
     * later {@code at} wins. So replicas that see the same events in different orders remember the same status, and
     * a replayed record never turns a finished command back into a running one.
     */
    static boolean supersedes(StatusEvent event, StatusEvent current) {
        int byRank = Integer.compare(rank(event.status()), rank(current.status()));
        return byRank > 0 || byRank == 0 && !event.at().isBefore(current.at());
    }

    private static int rank(CommandStatus status) {
        return switch (status) {
            case ACCEPTED -> 0;
            case PUBLISHED -> 1;
            case EXPIRED, REJECTED, TIMED_OUT -> 2;
            case RESPONDED -> 3;
        };
    }

    Optional<StatusEvent> latest(String correlationId) {
        return Optional.ofNullable(latest.get(correlationId));
    }

    /**
     * Up to {@code max} published commands of the partitions {@code owned} whose deadline is at or before {@code now},
     * earliest first; their deadlines are taken, so each is due once. Those of other partitions stay.
     */
    List<StatusEvent> due(Instant now, int max, IntPredicate owned) {
        List<StatusEvent> due = new ArrayList<>();
        for (Deadlines.Deadline deadline : deadlines.due(now, max, owned)) {
            StatusEvent current = latest.get(deadline.correlationId());
            if (current != null && current.status() == CommandStatus.PUBLISHED) {
                due.add(current);
            }
        }
        return due;
    }

    boolean hasDue(Instant now, IntPredicate owned) {
        return deadlines.hasDue(now, owned);
    }

    int size() {
        return latest.size();
    }

    int deadlineCount() {
        return deadlines.size();
    }
}
