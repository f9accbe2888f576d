package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever arrives in whatever order, the memory's invariants hold after every step. */
class StatusMemoryPropertiesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final int IDS = 12;
    private static final int BOUND = 5;

    record Step(int id, CommandStatus status, int ttlSeconds) {

        StatusEvent event() {
            Command command = new Command("c" + id, "d", "n", new byte[0], 1, false, T0.plusSeconds(ttlSeconds));
            return switch (status) {
                case ACCEPTED -> StatusEvent.accepted(command, T0);
                case PUBLISHED -> StatusEvent.published(command, T0);
                case EXPIRED -> StatusEvent.expired(command, "late", T0);
                case REJECTED -> StatusEvent.rejected(CommandRejection.INVALID_QOS, "bad", "c" + id, "d", "n", T0);
                case RESPONDED -> StatusEvent.responded("c" + id, "d", "n", command.expiresAt(), T0);
                case TIMED_OUT -> StatusEvent.published(command, T0).timedOut(T0);
            };
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                        Arbitraries.integers().between(0, IDS - 1),
                        Arbitraries.of(CommandStatus.class),
                        Arbitraries.integers().between(1, 10))
                .as(Step::new);
        return step.list().ofMaxSize(60);
    }

    @Property(tries = 1000)
    void deadlinesAreExactlyThoseOfRememberedPublishedCommandsAndEachIsDueOnce(@ForAll("steps") List<Step> steps) {
        StatusMemory memory = new StatusMemory(BOUND);
        for (Step step : steps) {
            StatusEvent event = step.event();
            Optional<StatusEvent> before = memory.latest(event.correlationId());
            StatusMemory.Change change = memory.remember(event);
            if (before.isPresent()
                    && before.get().status().isTerminal()
                    && !event.status().isTerminal()) {
                assertEquals(before, memory.latest(event.correlationId()), "a finished status stays");
            }
            if (change.letGo() != null) {
                assertTrue(memory.latest(change.letGo().correlationId()).isEmpty());
            }
            assertTrue(memory.size() <= BOUND);
            assertEquals(published(memory).size(), memory.deadlineCount());
        }
        List<String> expected = published(memory);
        List<String> due = new ArrayList<>();
        while (memory.hasDue(T0.plusSeconds(10), p -> true)) {
            memory.due(T0.plusSeconds(10), 3, p -> true).forEach(e -> due.add(e.correlationId()));
        }
        assertEquals(expected.stream().sorted().toList(), due.stream().sorted().toList());
    }

    private static List<String> published(StatusMemory memory) {
        return IntStream.range(0, IDS)
                .mapToObj(i -> memory.latest("c" + i))
                .flatMap(Optional::stream)
                .filter(e -> e.status() == CommandStatus.PUBLISHED)
                .map(StatusEvent::correlationId)
                .toList();
    }

    /**
     * Replicas read the same events in different orders (their own first, the others' as their views get them):
     * without the bound in the way, they end with the same status and the same deadlines.
     */
    @Property(tries = 1000)
    void theSameEventsInAnyOrderLeaveTheSameStatuses(@ForAll("steps") List<Step> steps, @ForAll Random random) {
        List<StatusEvent> events = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            StatusEvent event = steps.get(i).event();
            events.add(new StatusEvent(
                    event.correlationId(),
                    event.deviceId(),
                    event.name(),
                    event.status(),
                    event.reason(),
                    event.detail(),
                    T0.plusMillis(i), // distinct times, as Instant.now() gives different replicas
                    event.expiresAt()));
        }
        List<StatusEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, random);
        StatusMemory inOrder = new StatusMemory(IDS);
        StatusMemory reordered = new StatusMemory(IDS);
        events.forEach(inOrder::remember);
        shuffled.forEach(reordered::remember);
        for (int i = 0; i < IDS; i++) {
            assertEquals(inOrder.latest("c" + i), reordered.latest("c" + i), "c" + i);
        }
        assertEquals(inOrder.deadlineCount(), reordered.deadlineCount());
    }
}
