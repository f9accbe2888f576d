package io.edgebridge.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowStatusTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final long S = 1_000_000_000L;

    @Test
    void aWindowFullWithoutProgressForLongerThanTheLimitIsStalled() {
        WindowStatus window = new WindowStatus();
        window.update(false, 10, 1000, 0);
        assertFalse(window.stalled(LIMIT, 100 * S), "not full: never stalled");
        window.update(true, 1000, 1000, 100 * S);
        assertNotNull(window.fullSince());
        assertFalse(window.stalled(LIMIT, 129 * S));
        assertTrue(window.stalled(LIMIT, 131 * S));
        window.update(false, 999, 1000, 132 * S);
        assertFalse(window.stalled(LIMIT, 200 * S), "drained: ready again");
        assertNull(window.fullSince());
    }

    @Test
    void aFullWindowThatKeepsTurningOverIsNotStalled() {
        WindowStatus window = new WindowStatus();
        window.update(true, 1000, 1000, 0);
        for (long t = 1; t < 100; t++) {
            window.progress(t * S); // a message leaves, the next one takes its slot: still full
        }
        assertFalse(window.stalled(LIMIT, 100 * S));
        assertTrue(window.stalled(LIMIT, 130 * S), "no progress for 31 s");
    }
}
