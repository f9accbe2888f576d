package io.edgebridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.mqtt.PublishWindow.Publish;
import io.edgebridge.mqtt.PublishWindow.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command publisher's window, without a broker: order, bound, acknowledgements, resend and expiry. */
class PublishWindowTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Instant LATER = NOW.plusSeconds(60);

    private final List<Publish<String>> expired = new ArrayList<>();

    private Publish<String> next(PublishWindow<String> window) {
        return window.nextToWrite(NOW, expired);
    }

    @Test
    void publishesGoOutInHandOverOrderAndAtMostTheWindowUnacknowledged() {
        PublishWindow<String> window = new PublishWindow<>(2);
        window.enqueue("a", LATER);
        window.enqueue("b", LATER);
        window.enqueue("c", LATER);
        Publish<String> a = next(window);
        Publish<String> b = next(window);
        assertEquals(List.of("a", "b"), List.of(a.item, b.item));
        assertNull(next(window), "two unacknowledged: the window is full");

        assertTrue(window.acknowledged(b));
        assertEquals(State.PUBLISHED, b.state());
        assertEquals("c", next(window).item);
        assertEquals(2, window.pending());
    }

    @Test
    void theBrokersReceiveMaximumNarrowsTheWindowForItsConnection() {
        PublishWindow<String> window = new PublishWindow<>(10);
        window.brokerLimit(1);
        window.enqueue("a", LATER);
        window.enqueue("b", LATER);
        assertEquals("a", next(window).item);
        assertNull(next(window), "the broker accepts one unacknowledged publish");

        window.connectionLost();
        assertEquals("a", next(window).item, "a new connection has its own limit");
        assertEquals("b", next(window).item);
    }

    @Test
    void aPublishIsFinishedByTheBrokersAcknowledgementNotByTheWrite() {
        PublishWindow<String> window = new PublishWindow<>(10);
        window.enqueue("a", LATER);
        Publish<String> a = next(window);
        assertEquals(State.IN_FLIGHT, a.state());
        assertEquals(1, window.pending());
        assertTrue(window.acknowledged(a));
        assertEquals(0, window.pending());
        assertFalse(window.acknowledged(a), "acknowledged once");
    }

    @Test
    void aLostConnectionPutsTheUnacknowledgedBackAtTheHeadInTheirOrder() {
        PublishWindow<String> window = new PublishWindow<>(3);
        for (String item : List.of("a", "b", "c", "d")) {
            window.enqueue(item, LATER);
        }
        Publish<String> a = next(window);
        next(window);
        Publish<String> c = next(window);
        window.acknowledged(c);

        assertEquals(2, window.connectionLost());
        assertEquals(State.QUEUED, a.state());
        assertFalse(window.acknowledged(a), "an answer from the lost connection does not finish it");
        List<String> order = new ArrayList<>();
        for (Publish<String> p = next(window); p != null; p = next(window)) {
            order.add(p.item);
        }
        assertEquals(List.of("a", "b", "d"), order, "c was acknowledged: not sent again");
    }

    @Test
    void aPublishWhoseDeadlinePassedIsNeverWritten() {
        PublishWindow<String> window = new PublishWindow<>(10);
        window.enqueue("stale", NOW);
        window.enqueue("fresh", LATER);
        assertEquals("fresh", next(window).item);
        assertEquals(1, expired.size());
        assertEquals(State.EXPIRED, expired.get(0).state());
    }

    @Test
    void queuedPublishesExpireOnTimeWhileTheyWait() {
        PublishWindow<String> window = new PublishWindow<>(1);
        window.enqueue("sent", NOW.plusSeconds(1));
        window.enqueue("waits", NOW.plusSeconds(1));
        Publish<String> sent = next(window);

        List<Publish<String>> gone = window.expireQueued(NOW.plusSeconds(2));
        assertEquals(List.of("waits"), gone.stream().map(p -> p.item).toList());
        assertEquals(State.IN_FLIGHT, sent.state(), "a written publish waits for its acknowledgement");
        assertEquals(1, window.pending());
    }

    @Test
    void stoppingWithdrawsEverythingUnfinishedInOrder() {
        PublishWindow<String> window = new PublishWindow<>(1);
        window.enqueue("a", LATER);
        window.enqueue("b", LATER);
        next(window);
        List<Publish<String>> withdrawn = window.withdrawAll();
        assertEquals(List.of("a", "b"), withdrawn.stream().map(p -> p.item).toList());
        assertTrue(withdrawn.stream().allMatch(p -> p.state() == State.WITHDRAWN));
        assertEquals(0, window.pending());
    }
}
