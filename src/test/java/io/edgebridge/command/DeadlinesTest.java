package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Deadline heaps of slot numbers, in the order a memory gives them (here: seconds, then slot). */
class DeadlinesTest {

    private static final IntPredicate ALL = partition -> true;

    /** Slot i's deadline is seconds[i]; ties by slot number, as the memory breaks them by correlation id. */
    private static Deadlines deadlines(long... seconds) {
        Deadlines deadlines = new Deadlines(new Deadlines.Order() {
            @Override
            public int compare(int a, int b) {
                int bySeconds = Long.compare(seconds[a], seconds[b]);
                return bySeconds != 0 ? bySeconds : Integer.compare(a, b);
            }

            @Override
            public boolean dueBy(int slot, long nowSeconds, int nowNanos) {
                return seconds[slot] <= nowSeconds;
            }
        });
        deadlines.slots(seconds.length);
        return deadlines;
    }

    @Test
    void dueTakesTheEarliestFirstTiesInTheMemorysOrderAtMostMax() {
        Deadlines deadlines = deadlines(2, 2, 1, 30);
        IntStream.of(1, 0, 2, 3).forEach(slot -> deadlines.add(slot, 0));
        assertFalse(deadlines.hasDue(0, 0, ALL));
        assertArrayEquals(new int[] {2, 0}, deadlines.due(2, 0, 2, ALL));
        assertArrayEquals(new int[] {1}, deadlines.due(2, 0, 2, ALL));
        assertFalse(deadlines.hasDue(2, 0, ALL));
        assertTrue(deadlines.hasDue(30, 0, ALL), "due at the deadline itself");
        assertEquals(1, deadlines.size());
    }

    @Test
    void aRemovedDeadlineIsNeverDueAndRemovingTwiceIsHarmless() {
        Deadlines deadlines = deadlines(1, 1, 1);
        deadlines.add(0, 0);
        deadlines.add(1, 0);
        deadlines.remove(0);
        deadlines.remove(0);
        deadlines.remove(2); // never added
        assertFalse(deadlines.has(0));
        assertArrayEquals(new int[] {1}, deadlines.due(5, 0, 128, ALL));
        assertEquals(0, deadlines.size());
    }

    @Test
    void theEarliestComeFirstAcrossPartitions() {
        Deadlines deadlines = deadlines(3, 1, 2, 2);
        deadlines.add(0, 0);
        deadlines.add(1, 1);
        deadlines.add(2, 2);
        deadlines.add(3, 0);
        assertArrayEquals(new int[] {1, 2, 3, 0}, deadlines.due(3, 0, 128, ALL));
    }

    /** Another replica reports those; they wait, untouched, until their owner's time-out or a hand-over. */
    @Test
    void deadlinesOfPartitionsNotOwnedWaitUntilTheyAre() {
        Deadlines deadlines = deadlines(1, 1, 2, 1);
        deadlines.add(0, 0);
        deadlines.add(1, 1);
        deadlines.add(2, 0);
        deadlines.add(3, -1); // the partition count is not known yet: nobody's
        IntPredicate onlyZero = partition -> partition == 0;
        assertArrayEquals(new int[] {0, 2}, deadlines.due(9, 0, 128, onlyZero));
        assertFalse(deadlines.hasDue(9, 0, onlyZero), "the other partition's deadline is not ours");
        assertArrayEquals(new int[] {1}, deadlines.due(9, 0, 128, partition -> partition >= 0), "after a hand-over");
        assertEquals(1, deadlines.size());
    }

    /** Any mix of adds and removals: what is due comes out exactly once, in order, as a sorted list would give it. */
    @Test
    void theHeapsAgreeWithASortedListUnderRandomAddsAndRemovals() {
        Random random = new Random(20261207);
        for (int round = 0; round < 200; round++) {
            int slots = 1 + random.nextInt(60);
            long[] seconds = random.longs(slots, 0, 20).toArray();
            Deadlines deadlines = deadlines(seconds);
            List<Integer> expected = new ArrayList<>();
            for (int step = 0; step < 3 * slots; step++) {
                int slot = random.nextInt(slots);
                if (expected.contains(slot)) {
                    deadlines.remove(slot);
                    expected.remove(Integer.valueOf(slot));
                } else {
                    deadlines.add(slot, random.nextInt(3));
                    expected.add(slot);
                }
                assertEquals(expected.size(), deadlines.size());
            }
            long now = random.nextInt(20);
            int[] dueNow = expected.stream()
                    .filter(slot -> seconds[slot] <= now)
                    .sorted(Comparator.<Integer>comparingLong(slot -> seconds[slot])
                            .thenComparing(slot -> slot))
                    .mapToInt(Integer::intValue)
                    .toArray();
            List<Integer> taken = new ArrayList<>();
            while (deadlines.hasDue(now, 0, ALL)) {
                Arrays.stream(deadlines.due(now, 0, 1 + random.nextInt(4), ALL)).forEach(taken::add);
            }
            assertArrayEquals(dueNow, taken.stream().mapToInt(Integer::intValue).toArray(), "round " + round);
            assertEquals(expected.size() - dueNow.length, deadlines.size());
        }
    }
}
