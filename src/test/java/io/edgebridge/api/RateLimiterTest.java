package io.edgebridge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void aClientGetsItsBurstThenTheSustainedRate() {
        RateLimiter limiter = new RateLimiter(2, 3, 100, now::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.tryAcquire("a"));
        }
        assertEquals(1, limiter.tryAcquire("a"), "retry after a second (2/s)");
        now.addAndGet(500_000_000);
        assertEquals(0, limiter.tryAcquire("a"), "half a second later one request came back");
        assertEquals(1, limiter.tryAcquire("a"));
    }

    @Test
    void clientsAreLimitedSeparately() {
        RateLimiter limiter = new RateLimiter(1, 1, 100, now::get);
        assertEquals(0, limiter.tryAcquire("a"));
        assertEquals(1, limiter.tryAcquire("a"));
        assertEquals(0, limiter.tryAcquire("b"));
    }

    @Test
    void retryAfterTellsHowLongUntilTheNextRequestPasses() {
        RateLimiter limiter = new RateLimiter(0.1, 1, 100, now::get);
        assertEquals(0, limiter.tryAcquire("a"));
        assertEquals(10, limiter.tryAcquire("a"));
        now.addAndGet(9_000_000_000L);
        assertEquals(1, limiter.tryAcquire("a"));
        now.addAndGet(1_000_000_000L);
        assertEquals(0, limiter.tryAcquire("a"));
    }

    @Test
    void aFloodOfClientNamesKeepsOnlyTheMostRecentOnes() {
        RateLimiter limiter = new RateLimiter(1, 1, 1000, now::get);
        for (int i = 0; i < 100_000; i++) {
            limiter.tryAcquire("client-" + i);
        }
        assertEquals(1000, limiter.clients());
        assertEquals(1, limiter.tryAcquire("client-99999"), "a recent client is still limited");
    }
}
