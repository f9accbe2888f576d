package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

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
        deadlines.add(StatusEvent.accepted(command, T0));
        deadlines.add(StatusEvent.expired(command, "late", T0));
        deadlines.add(StatusEvent.responded("c", "d", "n", T0, T0));
        assertEquals(0, deadlines.size());
        deadlines.add(StatusEvent.published(command, T0));
        assertEquals(1, deadlines.size());
    }

    @Test
    void dueTakesTheEarliestFirstTiesByIdAtMostMax() {
        Deadlines deadlines = new Deadlines();
        deadlines.add(published("b", 2));
        deadlines.add(published("a", 2));
        deadlines.add(published("c", 1));
        deadlines.add(published("z", 30));
        assertFalse(deadlines.hasDue(T0));
        assertEquals(List.of("c", "a"), ids(deadlines.due(T0.plusSeconds(2), 2)));
        assertEquals(List.of("b"), ids(deadlines.due(T0.plusSeconds(2), 2)));
        assertFalse(deadlines.hasDue(T0.plusSeconds(2)));
        assertTrue(deadlines.hasDue(T0.plusSeconds(30)), "due at the deadline itself");
    }

    @Test
    void aRemovedDeadlineIsNeverDue() {
        Deadlines deadlines = new Deadlines();
        StatusEvent a = published("a", 1);
        deadlines.add(a);
        deadlines.add(published("b", 1));
        deadlines.remove(a);
        deadlines.remove(published("a", 2)); // another deadline of the same command: nothing to remove
        assertEquals(List.of("b"), ids(deadlines.due(T0.plusSeconds(5), 128)));
    }
}
