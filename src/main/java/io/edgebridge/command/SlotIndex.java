package io.edgebridge.command;

/**
 * Correlation id -> slot of {@link StatusMemory}: open addressing with linear probing in two flat arrays, at most half
 * full, so a remembered command costs two array cells here and no entry object the collector has to copy and
 * promote. Removal shifts the entries after it back, so no tombstones accumulate. Pure, not thread-safe.
 */
final class SlotIndex {

    private static final int FIRST_CAPACITY = 64;

    private String[] keys = new String[FIRST_CAPACITY];
    private int[] slots = new int[FIRST_CAPACITY];
    private int size;

    /** The slot of {@code key}, or -1. */
    int get(String key) {
        int cell = cellOf(key);
        return cell < 0 ? -1 : slots[cell];
    }

    /** Maps {@code key}, which must not be mapped yet, to {@code slot}. */
    void put(String key, int slot) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int cell = home(key, mask);
        while (keys[cell] != null) {
            cell = (cell + 1) & mask;
        }
        keys[cell] = key;
        slots[cell] = slot;
        size++;
    }

    /** Unmaps {@code key}, if mapped. */
    void remove(String key) {
        int gap = cellOf(key);
        if (gap < 0) {
            return;
        }
        int mask = keys.length - 1;
        keys[gap] = null;
        size--;
        // Entries after the gap that probed past it move into it, so every lookup still finds its key.
        for (int cell = (gap + 1) & mask; keys[cell] != null; cell = (cell + 1) & mask) {
            int home = home(keys[cell], mask);
            boolean homeAfterGap = gap <= cell ? gap < home && home <= cell : gap < home || home <= cell;
            if (!homeAfterGap) {
                keys[gap] = keys[cell];
                slots[gap] = slots[cell];
                keys[cell] = null;
                gap = cell;
            }
        }
    }

    int size() {
        return size;
    }

    private int cellOf(String key) {
        int mask = keys.length - 1;
        for (int cell = home(key, mask); keys[cell] != null; cell = (cell + 1) & mask) {
            if (keys[cell].equals(key)) {
                return cell;
            }
        }
        return -1;
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new String[oldKeys.length * 2];
        slots = new int[oldKeys.length * 2];
        size = 0;
        for (int cell = 0; cell < oldKeys.length; cell++) {
            if (oldKeys[cell] != null) {
                put(oldKeys[cell], oldSlots[cell]);
            }
        }
    }

    private static int home(String key, int mask) {
        int hash = key.hashCode() * 0x9E3779B9; // spreads ids that differ only in their last characters
        return (hash ^ (hash >>> 16)) & mask;
    }
}
