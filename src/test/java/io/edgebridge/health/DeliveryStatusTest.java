package io.edgebridge.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryStatusTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aProbeOutLongerThanTheLimitIsAStallAndItsReturnEndsIt() {
        DeliveryStatus status = new DeliveryStatus();
        status.sent(0);
        status.sent(2 * SECOND); // a later probe does not restart the clock
        assertFalse(status.stalled(Duration.ofSeconds(3), 3 * SECOND));
        assertTrue(status.stalled(Duration.ofSeconds(3), 3 * SECOND + 1));
        status.received(4 * SECOND);
        assertFalse(status.stalled(Duration.ofSeconds(3), 10 * SECOND));
        assertEquals(4000, status.lastRoundTripMillis());
    }

    @Test
    void aLostConnectionForgetsTheProbeItCarried() {
        DeliveryStatus status = new DeliveryStatus();
        status.sent(0);
        status.reset();
        assertFalse(status.stalled(Duration.ofSeconds(1), 100 * SECOND));
    }
}
