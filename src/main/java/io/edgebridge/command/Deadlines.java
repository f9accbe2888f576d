package io.edgebridge.command;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Response deadlines of published commands, by slot of {@link StatusMemory}, earliest first (the order is the
 * memory's: deadline, then correlation id), kept apart by the partition of the commands topic each command belongs
 * to: a replica takes only those of the partitions it owns, and the others wait, untouched, for their owner's
 * time-out or for a hand-over. One binary heap of slot numbers per partition and the position of each slot in it, so
 * a deadline leaves in O(log n) when its command finishes, nothing is pruned in bulk, and a deadline is no object of
 * its own. Pure, not thread-safe.
 */
final class Deadlines {

    /** How the memory orders two slots' deadlines, and whether a slot's is due. */
    interface Order {

        /** Negative when {@code a}'s deadline comes first (ties broken by correlation id). */
        int compare(int a, int b);

        /** Whether the deadline of {@code slot} is at or before {@code nowSeconds}/{@code nowNanos}. */
        boolean dueBy(int slot, long nowSeconds, int nowNanos);
    }

    private static final int NONE = -1;

    private final Order order;
    private Heap[] byPartition = new Heap[0]; // index: partition + 1, as -1 is "not known yet"
    private int[] positions = new int[0]; // slot -> index in its partition's heap, or NONE
    private int[] partitions = new int[0]; // slot -> the partition its deadline is filed under
    private int size;

    Deadlines(Order order) {
        this.order = order;
    }

    /** Slots up to {@code length} (exclusive) may be added from now. */
    void slots(int length) {
        int old = positions.length;
        if (length > old) {
            positions = Arrays.copyOf(positions, length);
            partitions = Arrays.copyOf(partitions, length);
            Arrays.fill(positions, old, length, NONE);
        }
    }

    /** Files the deadline of {@code slot}, which has none yet, under {@code partition} (-1: not known yet). */
    void add(int slot, int partition) {
        int index = partition + 1;
        if (index >= byPartition.length) {
            byPartition = Arrays.copyOf(byPartition, index + 1);
        }
        if (byPartition[index] == null) {
            byPartition[index] = new Heap();
        }
        partitions[slot] = partition;
        byPartition[index].push(slot);
        size++;
    }

    /** Removes the deadline of {@code slot}, if it has one. */
    void remove(int slot) {
        if (has(slot)) {
            byPartition[partitions[slot] + 1].removeAt(positions[slot]);
            size--;
        }
    }

    /** Whether {@code slot} has a deadline filed. */
    boolean has(int slot) {
        return slot < positions.length && positions[slot] != NONE;
    }

    /**
     * Takes up to {@code max} deadlines due by {@code nowSeconds}/{@code nowNanos} of the partitions {@code owned},
     * earliest first; returns their slots.
     */
    int[] due(long nowSeconds, int nowNanos, int max, IntPredicate owned) {
        int[] taken = new int[Math.min(max, size)];
        int count = 0;
        while (count < taken.length) {
            Heap earliest = earliestDue(nowSeconds, nowNanos, owned);
            if (earliest == null) {
                break;
            }
            taken[count++] = earliest.removeAt(0);
            size--;
        }
        return count == taken.length ? taken : Arrays.copyOf(taken, count);
    }

    boolean hasDue(long nowSeconds, int nowNanos, IntPredicate owned) {
        return earliestDue(nowSeconds, nowNanos, owned) != null;
    }

    int size() {
        return size;
    }

    void clear() {
        byPartition = new Heap[0];
        Arrays.fill(positions, NONE);
        size = 0;
    }

    /** The owned partition whose first deadline is the earliest one due; a few dozen partitions at most. */
    private Heap earliestDue(long nowSeconds, int nowNanos, IntPredicate owned) {
        Heap earliest = null;
        for (int index = 0; index < byPartition.length; index++) {
            Heap heap = byPartition[index];
            if (heap != null
                    && heap.size > 0
                    && order.dueBy(heap.slots[0], nowSeconds, nowNanos)
                    && owned.test(index - 1)
                    && (earliest == null || order.compare(heap.slots[0], earliest.slots[0]) < 0)) {
                earliest = heap;
            }
        }
        return earliest;
    }

    /** A binary min-heap of slots that keeps {@link #positions} up to date. */
    private final class Heap {

        private int[] slots = new int[16];
        private int size;

        void push(int slot) {
            if (size == slots.length) {
                slots = Arrays.copyOf(slots, size * 2);
            }
            place(slot, size++);
            up(size - 1);
        }

        /** Removes the slot at {@code index}; returns it. */
        int removeAt(int index) {
            int removed = slots[index];
            positions[removed] = NONE;
            int last = slots[--size];
            if (index < size) {
                place(last, index);
                down(index);
                up(positions[last]);
            }
            return removed;
        }

        private void up(int index) {
            while (index > 0) {
                int parent = (index - 1) / 2;
                if (order.compare(slots[index], slots[parent]) >= 0) {
                    return;
                }
                swap(index, parent);
                index = parent;
            }
        }

        private void down(int index) {
            while (true) {
                int child = 2 * index + 1;
                if (child >= size) {
                    return;
                }
                if (child + 1 < size && order.compare(slots[child + 1], slots[child]) < 0) {
                    child++;
                }
                if (order.compare(slots[child], slots[index]) >= 0) {
                    return;
                }
                swap(index, child);
                index = child;
            }
        }

        private void swap(int a, int b) {
            int slotA = slots[a];
            place(slots[b], a);
            place(slotA, b);
        }

        private void place(int slot, int index) {
            slots[index] = slot;
            positions[slot] = index;
        }
    }
}
