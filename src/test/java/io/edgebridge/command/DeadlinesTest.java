package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final IntPredicate ALL = partition -> true;

    private static StatusEvent published(String id, int ttlSeconds) {
        return StatusEvent.published(new Command(id, "d", "n", new byte[0], 1, false, T0.plusSeconds(ttlSeconds)), T0);
    }

    private static List<String> ids(List<Deadlines.Deadline> deadlines) {
        return deadlines.stream().map(Deadlines.Deadline::correlationId).toList();
    }

    @Test
    void onlyPublishedCommandsHaveDeadlines() {
        Deadlines deadlines = new Deadlines();
        Command command = new Command("c", "d", "n", new byte[0], 1, false, T0);
        deadlines.add(StatusEvent.accepted(command, T0), 0);
        deadlines.add(StatusEvent.expired(command, "late", T0), 0);
        deadlines.add(StatusEvent.responded("c", "d", "n", T0, T0), 0);
        assertEquals(0, deadlines.size());
        deadlines.add(StatusEvent.published(command, T0), 0);
        assertEquals(1, deadlines.size());
    }

    @Test
    void dueTakesTheEarliestFirstTiesByIdAtMostMax() {
        Deadlines deadlines = new Deadlines();
        deadlines.add(published("b", 2), 0);
        deadlines.add(published("a", 2), 0);
        deadlines.add(published("c", 1), 0);
        deadlines.add(published("z", 30), 0);
        assertFalse(deadlines.hasDue(T0, ALL));
        assertEquals(List.of("c", "a"), ids(deadlines.due(T0.plusSeconds(2), 2, ALL)));
        assertEquals(List.of("b"), ids(deadlines.due(T0.plusSeconds(2), 2, ALL)));
        assertFalse(deadlines.hasDue(T0.plusSeconds(2), ALL));
        assertTrue(deadlines.hasDue(T0.plusSeconds(30), ALL), "due at the deadline itself");
        assertEquals(1, deadlines.size());
    }

    @Test
    void aRemovedDeadlineIsNeverDue() {
        Deadlines deadlines = new Deadlines();
        StatusEvent a = published("a", 1);
        deadlines.add(a, 0);
        deadlines.add(published("b", 1), 0);
        deadlines.remove(a, 0);
        deadlines.remove(published("a", 2), 0); // another deadline of the same command: nothing to remove
        deadlines.remove(published("b", 1), 3); // not in that partition
        assertEquals(List.of("b"), ids(deadlines.due(T0.plusSeconds(5), 128, ALL)));
        assertEquals(0, deadlines.size());
    }

    @Test
    void theEarliestComeFirstAcrossPartitions() {
        Deadlines deadlines = new Deadlines();
        deadlines.add(published("a", 3), 0);
        deadlines.add(published("b", 1), 1);
        deadlines.add(published("c", 2), 2);
        deadlines.add(published("d", 2), 0);
        assertEquals(List.of("b", "c", "d", "a"), ids(deadlines.due(T0.plusSeconds(3), 128, ALL)));
    }

    /** Another replica reports those; they wait, untouched, until their owner's time-out or a hand-over. */
    @Test
    void deadlinesOfPartitionsNotOwnedWaitUntilTheyAre() {
        Deadlines deadlines = new Deadlines();
        deadlines.add(published("mine", 1), 0);
        deadlines.add(published("theirs", 1), 1);
        deadlines.add(published("mine-later", 2), 0);
        IntPredicate onlyZero = partition -> partition == 0;
        assertEquals(List.of("mine", "mine-later"), ids(deadlines.due(T0.plusSeconds(9), 128, onlyZero)));
        assertFalse(deadlines.hasDue(T0.plusSeconds(9), onlyZero), "the other partition's deadline is not ours");
        assertEquals(1, deadlines.size());
        assertEquals(List.of("theirs"), ids(deadlines.due(T0.plusSeconds(9), 128, ALL)), "after a hand-over");
    }
}
