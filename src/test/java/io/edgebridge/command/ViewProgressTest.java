package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Readiness waits for what the status topic held at start, within a timeout; each change of state is said once. */
class ViewProgressTest {

    private static final TopicPartition P0 = new TopicPartition("device-command-status", 0);
    private static final TopicPartition P1 = new TopicPartition("device-command-status", 1);
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private static ViewProgress progress() {
        return new ViewProgress(Duration.ofSeconds(60), Duration.ofSeconds(10), 0);
    }

    @Test
    void readyOnceEveryPartitionIsReadUpToTheEndItHadAtStart() {
        ViewProgress progress = progress();
        assertNull(progress.read(Map.of(P0, 0L, P1, 0L), 10, SECOND), "not started: the partitions are not known");
        progress.started(Map.of(P0, 5L, P1, 7L));
        assertNull(progress.read(Map.of(P0, 5L, P1, 6L), 1, 2 * SECOND));
        assertFalse(progress.ready());
        assertEquals(ViewProgress.State.CAUGHT_UP, progress.read(Map.of(P0, 5L, P1, 7L), 3, 3 * SECOND));
        assertTrue(progress.ready(), "records written since the start do not hold readiness back");
        assertEquals(3, progress.lag());
    }

    @Test
    void anEmptyStatusTopicIsCaughtUpAtOnce() {
        ViewProgress progress = progress();
        progress.started(Map.of(P0, 0L, P1, 0L));
        assertEquals(ViewProgress.State.CAUGHT_UP, progress.read(Map.of(P0, 0L, P1, 0L), 0, SECOND));
    }

    @Test
    void pastTheStartTimeoutItIsReadyButLaggingUntilItCatchesUp() {
        ViewProgress progress = progress();
        progress.started(Map.of(P0, 1_000_000L));
        assertNull(progress.read(Map.of(P0, 10L), 999_990, 59 * SECOND));
        assertEquals(ViewProgress.State.LAGGING, progress.read(Map.of(P0, 500L), 999_500, 61 * SECOND));
        assertTrue(progress.ready());
        assertNull(progress.read(Map.of(P0, 900_000L), 100_000, 70 * SECOND), "still lagging: said once");
        assertEquals(ViewProgress.State.CAUGHT_UP, progress.read(Map.of(P0, 1_000_000L), 0, 80 * SECOND));
    }

    @Test
    void caughtUpItLagsOnlyWhenBehindForLongerThanTheToleranceAndSaysEachChangeOnce() {
        ViewProgress progress = progress();
        progress.started(Map.of(P0, 0L));
        progress.read(Map.of(P0, 0L), 0, 0);
        assertNull(progress.read(Map.of(P0, 10L), 50, SECOND), "behind for a moment under load");
        assertNull(progress.read(Map.of(P0, 20L), 0, 5 * SECOND), "at the end again");
        assertNull(progress.read(Map.of(P0, 30L), 50, 6 * SECOND));
        assertNull(progress.read(Map.of(P0, 40L), 60, 15 * SECOND));
        assertEquals(ViewProgress.State.LAGGING, progress.read(Map.of(P0, 50L), 70, 17 * SECOND));
        assertNull(progress.read(Map.of(P0, 60L), 80, 18 * SECOND));
        assertNull(progress.read(Map.of(P0, 60L), -1, 19 * SECOND), "an unknown lag changes nothing");
        assertEquals(ViewProgress.State.CAUGHT_UP, progress.read(Map.of(P0, 150L), 0, 20 * SECOND));
        assertTrue(progress.ready());
    }

    @Test
    void aMarkCompletesOnceEveryPartitionIsReadUpToItAndNotBefore() {
        ViewProgress progress = progress();
        progress.started(Map.of(P0, 0L, P1, 0L));
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        progress.mark(Map.of(P0, 3L, P1, 4L), first);
        progress.mark(Map.of(P0, 9L, P1, 4L), second);
        progress.read(Map.of(P0, 3L, P1, 3L), 2, SECOND);
        assertFalse(first.isDone());
        progress.read(Map.of(P1, 4L), 2, SECOND);
        assertFalse(first.isDone(), "a partition it has no position for is not read");
        progress.read(Map.of(P0, 3L, P1, 4L), 2, SECOND);
        assertTrue(first.isDone());
        assertFalse(second.isDone());
        assertEquals(1, progress.pendingMarks());
        progress.read(Map.of(P0, 12L, P1, 8L), 0, SECOND);
        assertTrue(second.isDone());
        assertEquals(0, progress.pendingMarks());
    }
}
