package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WaitersTest {

    private static final StatusEvent RESPONDED = StatusEvent.responded("c-1", "d", "n", null, Instant.EPOCH);

    @Test
    void everyWaiterOfTheCommandGetsItsEnd() {
        Waiters waiters = new Waiters(10);
        CompletableFuture<CommandAnswer> first = waiters.await("c-1").orElseThrow();
        CompletableFuture<CommandAnswer> second = waiters.await("c-1").orElseThrow();
        CompletableFuture<CommandAnswer> other = waiters.await("c-2").orElseThrow();
        waiters.wake(RESPONDED, new byte[] {42});
        assertSame(RESPONDED, first.join().status());
        assertArrayEquals(new byte[] {42}, second.join().response());
        assertFalse(other.isDone());
        assertEquals(1, waiters.commands());
    }

    @Test
    void atMostMaxCommandsAreWaitedForAndACancelledWaitFreesItsPlace() {
        Waiters waiters = new Waiters(2);
        CompletableFuture<CommandAnswer> a = waiters.await("a").orElseThrow();
        waiters.await("b").orElseThrow();
        assertTrue(waiters.await("c").isEmpty(), "bounded");
        waiters.cancel("a", a);
        assertTrue(waiters.await("c").isPresent());
        waiters.wake(StatusEvent.responded("a", null, null, null, Instant.EPOCH), null);
        assertFalse(a.isDone(), "a cancelled waiter is not woken");
    }
}
