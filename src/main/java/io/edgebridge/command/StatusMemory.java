package io.edgebridge.command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * The latest status of at most {@code maxTracked} commands, the first remembered let go first, and the deadlines of
 * exactly those remembered commands that are published and unanswered, by the partition of the commands topic each
 * belongs to ({@link DeadlineOwnership#partitionOf}). Pure: time and the partitions owned come in as arguments; not
 * thread-safe (the tracker holds a lock around it).
 *
 * <p>At thousands of commands per second what is remembered lives for many young collections and then dies in the
 * old generation, so it is kept column by column in arrays, reused in the order commands are first remembered, with
 * an open-addressing index ({@link SlotIndex}) and deadline heaps of slot numbers ({@link Deadlines}): a command
 * leaves its correlation id on the heap and little else (device ids, names and reasons are shared), instead of
 * the eleven objects of a map entry, an event, its instants and a sorted-set node.
 */
final class StatusMemory {

    /**
     * What remembering one event did.
     *
     * @param kept false when the remembered status stays instead (see {@link #supersedes(StatusEvent, int)})
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
    private static final CommandStatus[] STATUSES = CommandStatus.values();
    private static final long NO_DEADLINE = Long.MIN_VALUE;
    private static final int FIRST_LENGTH = 1024;

    /**
     * Cells of the direct-mapped cache that lets commands of the same device, name or reason share one string: a
     * fleet's names and reasons are few, and the devices that get many commands are each kept once.
     */
    private static final int SHARED_STRINGS = 4096;

    private final int maxTracked;
    private final SlotIndex index = new SlotIndex();
    private final Deadlines deadlines = new Deadlines(new DeadlineOrder());
    private final String[] shared = new String[SHARED_STRINGS];
    private int partitions; // of the commands topic; 0 until known

    // One command per slot, column by column; the slots in use run from oldest, in the order first remembered.
    private String[] ids = new String[0];
    private String[] devices = new String[0];
    private String[] names = new String[0];
    private String[] reasons = new String[0];
    private String[] details = new String[0];
    private byte[] statuses = new byte[0];
    private long[] atSeconds = new long[0];
    private int[] atNanos = new int[0];
    private long[] deadlineSeconds = new long[0]; // NO_DEADLINE: none
    private int[] deadlineNanos = new int[0];
    private int oldest;
    private int size;

    StatusMemory(int maxTracked) {
        if (maxTracked <= 0) {
            throw new IllegalArgumentException("maxTracked must be positive, is " + maxTracked);
        }
        this.maxTracked = maxTracked;
    }

    Change remember(StatusEvent event) {
        int slot = index.get(event.correlationId());
        if (slot >= 0) {
            if (!supersedes(event, slot)) {
                return REFUSED;
            }
            deadlines.remove(slot);
            write(slot, event); // a known command keeps its age, and the id string the index holds
            return KEPT;
        }
        StatusEvent letGo = null;
        if (size == maxTracked) {
            letGo = read(oldest);
            index.remove(ids[oldest]);
            deadlines.remove(oldest);
            slot = oldest;
            oldest = (oldest + 1) % maxTracked;
        } else {
            if (size == ids.length) {
                grow(); // before the first let go: the slots in use are 0 to size - 1
            }
            slot = size++;
        }
        ids[slot] = event.correlationId();
        index.put(ids[slot], slot);
        write(slot, event);
        return letGo == null ? KEPT : new Change(true, letGo);
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
        for (int i = 0; i < size; i++) {
            int slot = (oldest + i) % ids.length;
            if (hasDeadline(slot)) {
                deadlines.add(slot, partitionOf(slot));
            }
        }
    }

    /** Writes the status of the command in {@code slot}, whose id is already set. */
    private void write(int slot, StatusEvent event) {
        devices[slot] = share(event.deviceId());
        names[slot] = share(event.name());
        reasons[slot] = share(event.reason());
        details[slot] = event.detail();
        statuses[slot] = (byte) event.status().ordinal();
        atSeconds[slot] = event.at().getEpochSecond();
        atNanos[slot] = event.at().getNano();
        Instant expiresAt = event.expiresAt();
        deadlineSeconds[slot] = expiresAt == null ? NO_DEADLINE : expiresAt.getEpochSecond();
        deadlineNanos[slot] = expiresAt == null ? 0 : expiresAt.getNano();
        if (hasDeadline(slot)) {
            deadlines.add(slot, partitionOf(slot));
        }
    }

    private StatusEvent read(int slot) {
        return new StatusEvent(
                ids[slot],
                devices[slot],
                names[slot],
                STATUSES[statuses[slot]],
                reasons[slot],
                details[slot],
                Instant.ofEpochSecond(atSeconds[slot], atNanos[slot]),
                deadlineSeconds[slot] == NO_DEADLINE
                        ? null
                        : Instant.ofEpochSecond(deadlineSeconds[slot], deadlineNanos[slot]));
    }

    /** A published command with a deadline waits for its response or its time-out; nothing else has one. */
    private boolean hasDeadline(int slot) {
        return statuses[slot] == CommandStatus.PUBLISHED.ordinal() && deadlineSeconds[slot] != NO_DEADLINE;
    }

    private int partitionOf(int slot) {
        return DeadlineOwnership.partitionOf(devices[slot], partitions);
    }

    private void grow() {
        int length = Math.min(maxTracked, Math.max(FIRST_LENGTH, ids.length * 2));
        ids = Arrays.copyOf(ids, length);
        devices = Arrays.copyOf(devices, length);
        names = Arrays.copyOf(names, length);
        reasons = Arrays.copyOf(reasons, length);
        details = Arrays.copyOf(details, length);
        statuses = Arrays.copyOf(statuses, length);
        atSeconds = Arrays.copyOf(atSeconds, length);
        atNanos = Arrays.copyOf(atNanos, length);
        deadlineSeconds = Arrays.copyOf(deadlineSeconds, length);
        deadlineNanos = Arrays.copyOf(deadlineNanos, length);
        deadlines.slots(length);
    }

    /** The equal string in its cell, else {@code value}, which takes the cell: bounded, allocates nothing. */
    private String share(String value) {
        if (value == null) {
            return null;
        }
        int hash = value.hashCode();
        int cell = (hash ^ (hash >>> 16)) & (SHARED_STRINGS - 1);
        String known = shared[cell];
        if (value.equals(known)) {
            return known;
        }
        shared[cell] = value;
        return value;
    }

    /**
     * Whether {@code event} replaces the status remembered in {@code slot}, of the same command. A status never moves
     * back: accepted, then published, then how it ended, where a response outranks the other endings (a device that
     * answered late, or while another replica reported the time-out, did answer). Between equals the later {@code at}
     * wins. So replicas that see the same events in different orders remember the same status, and a replayed record
     * never turns a finished command back into a running one.
     */
    private boolean supersedes(StatusEvent event, int slot) {
        int byRank = Integer.compare(rank(event.status()), rank(STATUSES[statuses[slot]]));
        return byRank > 0 || byRank == 0 && compare(event.at(), atSeconds[slot], atNanos[slot]) >= 0;
    }

    private static int compare(Instant instant, long seconds, int nanos) {
        int bySeconds = Long.compare(instant.getEpochSecond(), seconds);
        return bySeconds != 0 ? bySeconds : Integer.compare(instant.getNano(), nanos);
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
        int slot = index.get(correlationId);
        return slot < 0 ? Optional.empty() : Optional.of(read(slot));
    }

    /**
     * Up to {@code max} published commands of the partitions {@code owned} whose deadline is at or before {@code now},
     * earliest first; their deadlines are taken, so each is due once. Those of other partitions stay.
     */
    List<StatusEvent> due(Instant now, int max, IntPredicate owned) {
        int[] slots = deadlines.due(now.getEpochSecond(), now.getNano(), max, owned);
        List<StatusEvent> due = new ArrayList<>(slots.length);
        for (int slot : slots) {
            due.add(read(slot));
        }
        return due;
    }

    boolean hasDue(Instant now, IntPredicate owned) {
        return deadlines.hasDue(now.getEpochSecond(), now.getNano(), owned);
    }

    int size() {
        return size;
    }

    int deadlineCount() {
        return deadlines.size();
    }

    /** Deadline first, then correlation id: the order time-outs are reported in. */
    private final class DeadlineOrder implements Deadlines.Order {

        @Override
        public int compare(int a, int b) {
            int bySeconds = Long.compare(deadlineSeconds[a], deadlineSeconds[b]);
            if (bySeconds != 0) {
                return bySeconds;
            }
            int byNanos = Integer.compare(deadlineNanos[a], deadlineNanos[b]);
            return byNanos != 0 ? byNanos : ids[a].compareTo(ids[b]);
        }

        @Override
        public boolean dueBy(int slot, long nowSeconds, int nowNanos) {
            return deadlineSeconds[slot] < nowSeconds
                    || deadlineSeconds[slot] == nowSeconds && deadlineNanos[slot] <= nowNanos;
        }
    }
}
