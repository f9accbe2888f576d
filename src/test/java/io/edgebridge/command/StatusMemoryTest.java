package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The tracker's memory: bounded, explicit about what it lets go, and every remembered command keeps its time-out. */
class StatusMemoryTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final IntPredicate ALL = partition -> true;

    private static Command command(String id, int ttlSeconds) {
        return new Command(id, "dev", "beep", new byte[0], 1, false, T0.plusSeconds(ttlSeconds));
    }

    private static StatusEvent accepted(String id, int ttlSeconds) {
        return StatusEvent.accepted(command(id, ttlSeconds), T0);
    }

    private static StatusEvent published(String id, int ttlSeconds) {
        return StatusEvent.published(command(id, ttlSeconds), T0);
    }

    private static StatusEvent responded(String id) {
        return StatusEvent.responded(id, "dev", "beep", null, T0);
    }

    private static List<String> ids(List<StatusEvent> events) {
        return events.stream().map(StatusEvent::correlationId).toList();
    }

    /** Everything due at {@code now}, taken {@code batch} at a time, as the sweep does. */
    private static List<String> allDue(StatusMemory memory, Instant now, int batch) {
        List<String> due = new ArrayList<>();
        while (memory.hasDue(now, ALL)) {
            List<StatusEvent> taken = memory.due(now, batch, ALL);
            assertTrue(taken.size() <= batch);
            due.addAll(ids(taken));
        }
        return due;
    }

    @Test
    void theLatestStatusOfEachCommandIsRemembered() {
        StatusMemory memory = new StatusMemory(10);
        memory.remember(accepted("a", 60));
        memory.remember(published("a", 60));
        assertEquals(CommandStatus.PUBLISHED, memory.latest("a").orElseThrow().status());
        assertEquals(Optional.empty(), memory.latest("b"));
    }

    @Test
    void beyondTheBoundTheFirstRememberedIsLetGoAndSaidSo() {
        StatusMemory memory = new StatusMemory(2);
        assertNull(memory.remember(accepted("a", 60)).letGo());
        assertNull(memory.remember(accepted("b", 60)).letGo());
        StatusMemory.Change change = memory.remember(accepted("c", 60));
        assertTrue(change.kept());
        assertEquals("a", change.letGo().correlationId());
        assertEquals(2, memory.size());
        assertEquals(Optional.empty(), memory.latest("a"));
    }

    @Test
    void aNewStatusOfAKnownCommandKeepsItsAge() {
        StatusMemory memory = new StatusMemory(2);
        memory.remember(accepted("a", 60));
        memory.remember(accepted("b", 60));
        assertNull(memory.remember(published("a", 60)).letGo(), "no new command, nothing let go");
        assertEquals("a", memory.remember(accepted("c", 60)).letGo().correlationId(), "a is still the oldest");
    }

    @Test
    void aReplayedRunningStatusNeverOverwritesAFinishedOne() {
        StatusMemory memory = new StatusMemory(10);
        memory.remember(published("a", 5));
        memory.remember(responded("a"));
        StatusMemory.Change replayed = memory.remember(accepted("a", 5));
        assertFalse(replayed.kept());
        assertFalse(memory.remember(published("a", 5)).kept());
        assertEquals(CommandStatus.RESPONDED, memory.latest("a").orElseThrow().status());
        assertEquals(0, memory.deadlineCount(), "the replayed publish brought no deadline back");
        assertEquals(List.of(), allDue(memory, T0.plusSeconds(10), 128));
    }

    @Test
    void onlyAPublishedCommandLetGoCountsAsForgotten() {
        StatusMemory memory = new StatusMemory(1);
        memory.remember(accepted("accepted", 60));
        StatusMemory.Change acceptedLetGo = memory.remember(published("published", 60));
        assertEquals("accepted", acceptedLetGo.letGo().correlationId());
        assertFalse(acceptedLetGo.forgotPublished(), "an accepted one comes back with its next status");
        StatusMemory.Change publishedLetGo = memory.remember(published("next", 60));
        assertTrue(publishedLetGo.forgotPublished());
        memory.remember(responded("next"));
        assertFalse(memory.remember(accepted("last", 60)).forgotPublished(), "a finished one is not forgotten");
    }

    @Test
    void deadlinesAreExactlyThoseOfRememberedPublishedUnansweredCommands() {
        StatusMemory memory = new StatusMemory(3);
        memory.remember(accepted("a", 5));
        assertEquals(0, memory.deadlineCount(), "accepted: not yet published");
        memory.remember(published("a", 5));
        memory.remember(published("b", 6));
        assertEquals(2, memory.deadlineCount());
        memory.remember(responded("a"));
        assertEquals(1, memory.deadlineCount(), "answered: no time-out");
        memory.remember(published("b", 9));
        assertEquals(1, memory.deadlineCount(), "published again with another deadline: only the new one");
        memory.remember(published("c", 7));
        assertEquals("a", memory.remember(published("d", 8)).letGo().correlationId());
        assertEquals(3, memory.deadlineCount(), "b, c and d");
        assertEquals("b", memory.remember(published("e", 9)).letGo().correlationId());
        assertEquals(3, memory.deadlineCount(), "b was let go with its deadline");
        assertEquals(List.of("c", "d", "e"), allDue(memory, T0.plusSeconds(10), 128));
        assertEquals(0, memory.deadlineCount(), "each is due once");
    }

    @Test
    void dueYieldsPublishedCommandsInDeadlineOrderAtMostMaxAtATime() {
        StatusMemory memory = new StatusMemory(10);
        memory.remember(published("late", 9));
        memory.remember(published("early", 3));
        memory.remember(published("middle", 5));
        memory.remember(published("future", 60));
        assertFalse(memory.hasDue(T0.plusSeconds(2), ALL));
        assertEquals(List.of(), memory.due(T0.plusSeconds(2), 128, ALL));
        assertEquals(List.of("early", "middle"), ids(memory.due(T0.plusSeconds(10), 2, ALL)));
        assertTrue(memory.hasDue(T0.plusSeconds(10), ALL));
        assertEquals(List.of("late"), ids(memory.due(T0.plusSeconds(10), 2, ALL)));
        assertFalse(memory.hasDue(T0.plusSeconds(10), ALL));
        assertEquals(
                CommandStatus.PUBLISHED, memory.latest("late").orElseThrow().status(), "reporting is not ours");
    }

    /**
     * The bug fixed in d7b610f: the deadlines of finished commands with later deadlines stayed and pushed out the
     * deadlines of the published commands still remembered, which then never timed out.
     */
    @Test
    void finishedCommandsWithLaterDeadlinesDoNotCostRememberedOnesTheirTimeOuts() {
        StatusMemory memory = new StatusMemory(4);
        for (int i = 0; i < 6; i++) {
            memory.remember(accepted("a" + i, 60));
            memory.remember(published("a" + i, 60));
            memory.remember(responded("a" + i));
        }
        for (int i = 0; i < 3; i++) {
            memory.remember(accepted("s" + i, 3));
            memory.remember(published("s" + i, 3));
        }
        assertEquals(3, memory.deadlineCount());
        assertEquals(List.of("s0", "s1", "s2"), allDue(memory, T0.plusSeconds(3), 128));
    }

    @Test
    void belowTheBoundNoTimeOutIsLost() {
        int bound = 1000;
        StatusMemory memory = new StatusMemory(bound);
        List<String> expected = new ArrayList<>();
        IntStream.range(0, bound).forEach(i -> {
            String id = String.format("c%04d", i);
            memory.remember(accepted(id, 1 + i % 7));
            StatusMemory.Change change = memory.remember(published(id, 1 + i % 7));
            assertNull(change.letGo());
        });
        IntStream.rangeClosed(1, 7)
                .forEach(s -> IntStream.range(0, bound)
                        .filter(i -> 1 + i % 7 == s)
                        .forEach(i -> expected.add(String.format("c%04d", i))));
        assertEquals(expected, allDue(memory, T0.plusSeconds(7), 128), "all of them, once, earliest first");
    }

    /** The slots grow to the bound, then the oldest slot is reused for each new command, round and round. */
    @Test
    void pastTheBoundTheSlotsAreReusedOldestFirstAndEveryRememberedOneKeepsItsTimeOut() {
        int bound = 2500; // grows 1,024 -> 2,048 -> 2,500 slots, then wraps twice
        StatusMemory memory = new StatusMemory(bound);
        List<String> letGo = new ArrayList<>();
        for (int i = 0; i < 7000; i++) {
            String id = String.format("c%04d", i);
            StatusMemory.Change change = memory.remember(published(id, 1 + i % 7));
            if (change.letGo() != null) {
                letGo.add(change.letGo().correlationId());
            }
            if (i % 3 == 0) {
                memory.remember(responded(id));
            }
        }
        assertEquals(bound, memory.size());
        assertEquals(
                IntStream.range(0, 4500)
                        .mapToObj(i -> String.format("c%04d", i))
                        .toList(),
                letGo);
        assertEquals(Optional.empty(), memory.latest("c4499"));
        assertEquals(
                CommandStatus.RESPONDED, memory.latest("c4500").orElseThrow().status());
        assertEquals(
                CommandStatus.PUBLISHED, memory.latest("c6998").orElseThrow().status());
        List<String> expected = new ArrayList<>();
        IntStream.rangeClosed(1, 7)
                .forEach(s -> IntStream.range(4500, 7000)
                        .filter(i -> 1 + i % 7 == s && i % 3 != 0)
                        .forEach(i -> expected.add(String.format("c%04d", i))));
        assertEquals(expected.size(), memory.deadlineCount());
        assertEquals(expected, allDue(memory, T0.plusSeconds(7), 128), "earliest first, ties by id, each once");
    }

    @Test
    void beyondTheBoundTheRememberedOnesStillTimeOut() {
        StatusMemory memory = new StatusMemory(4);
        int forgotten = 0;
        for (int i = 0; i < 6; i++) {
            forgotten += memory.remember(accepted("c" + i, 4)).forgotPublished() ? 1 : 0;
            forgotten += memory.remember(published("c" + i, 4)).forgotPublished() ? 1 : 0;
        }
        assertEquals(2, forgotten, "the two oldest were published when let go, counted once each");
        assertEquals(List.of("c2", "c3", "c4", "c5"), allDue(memory, T0.plusSeconds(4), 128));
    }

    @Test
    void aStatusNeverMovesBackWhateverItsTime() {
        StatusMemory memory = new StatusMemory(10);
        memory.remember(published("a", 5));
        StatusEvent lateAccepted = StatusEvent.accepted(command("a", 5), T0.plusSeconds(1));
        assertFalse(memory.remember(lateAccepted).kept(), "another replica's accepted, read after our published");
        assertEquals(CommandStatus.PUBLISHED, memory.latest("a").orElseThrow().status());
        assertEquals(List.of("a"), allDue(memory, T0.plusSeconds(5), 128), "the deadline stayed");
    }

    @Test
    void aResponseOutranksTheOtherEndingsInEitherOrder() {
        StatusEvent published = published("a", 5);
        StatusEvent timedOut = published.timedOut(T0.plusSeconds(6));
        StatusEvent responded = StatusEvent.responded("a", "dev", "beep", published.expiresAt(), T0.plusSeconds(5));
        for (List<StatusEvent> order : List.of(List.of(timedOut, responded), List.of(responded, timedOut))) {
            StatusMemory memory = new StatusMemory(10);
            memory.remember(published);
            order.forEach(memory::remember);
            assertEquals(
                    CommandStatus.RESPONDED, memory.latest("a").orElseThrow().status(), order.toString());
            assertEquals(0, memory.deadlineCount());
        }
    }

    @Test
    void betweenStatusesOfTheSameRankTheLaterOneWins() {
        StatusEvent early = StatusEvent.accepted(command("a", 5), T0);
        StatusEvent late = StatusEvent.accepted(command("a", 9), T0.plusMillis(1));
        for (List<StatusEvent> order : List.of(List.of(early, late), List.of(late, early))) {
            StatusMemory memory = new StatusMemory(10);
            order.forEach(memory::remember);
            assertEquals(late, memory.latest("a").orElseThrow(), order.toString());
        }
        StatusMemory memory = new StatusMemory(10);
        memory.remember(published("a", 5));
        assertTrue(memory.remember(published("a", 9)).kept(), "the same time: the one remembered last");
        assertEquals(List.of("a"), allDue(memory, T0.plusSeconds(9), 128));
    }

    /** A device id of {@code partition} of four, as Kafka's default partitioner places it. */
    private static String deviceOf(int partition) {
        for (int i = 0; ; i++) {
            if (DeadlineOwnership.partitionOf("dev-" + i, 4) == partition) {
                return "dev-" + i;
            }
        }
    }

    private static StatusEvent published(String id, String deviceId, int ttlSeconds) {
        return StatusEvent.published(
                new Command(id, deviceId, "beep", new byte[0], 1, false, T0.plusSeconds(ttlSeconds)), T0);
    }

    @Test
    void onlyTheDeadlinesOfOwnedPartitionsAreDueTheOthersWaitForTheirOwner() {
        StatusMemory memory = new StatusMemory(10);
        memory.partitions(4);
        memory.remember(published("mine", deviceOf(2), 1));
        memory.remember(published("theirs", deviceOf(3), 1));
        memory.remember(published("answered", deviceOf(3), 1));
        memory.remember(StatusEvent.responded("answered", deviceOf(3), "beep", null, T0));
        IntPredicate two = partition -> partition == 2;
        assertEquals(List.of("mine"), ids(memory.due(T0.plusSeconds(5), 128, two)));
        assertFalse(memory.hasDue(T0.plusSeconds(5), two));
        assertEquals(1, memory.deadlineCount(), "theirs waits");
        memory.remember(published("theirs", deviceOf(3), 1).timedOut(T0.plusSeconds(2))); // their owner's report
        assertEquals(0, memory.deadlineCount());
    }

    @Test
    void deadlinesWaitForThePartitionCountAndFollowItWhenTheTopicGrows() {
        StatusMemory memory = new StatusMemory(10);
        memory.remember(published("early", deviceOf(1), 1)); // read by the view before the first assignment
        IntPredicate anyKnown = partition -> partition >= 0;
        assertFalse(memory.hasDue(T0.plusSeconds(5), anyKnown), "no partition yet, so nobody's");
        memory.partitions(4);
        assertTrue(memory.hasDue(T0.plusSeconds(5), partition -> partition == 1));
        memory.partitions(0);
        assertTrue(memory.hasDue(T0.plusSeconds(5), partition -> partition == 1), "not known: the count stays");
        memory.partitions(8);
        int now = DeadlineOwnership.partitionOf(deviceOf(1), 8);
        assertEquals(List.of("early"), ids(memory.due(T0.plusSeconds(5), 128, partition -> partition == now)));
    }
}
