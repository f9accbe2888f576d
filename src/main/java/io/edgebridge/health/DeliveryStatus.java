package io.edgebridge.health;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether the broker still delivers to the telemetry session: the session publishes a probe to a topic it
 * subscribes to and waits for it to come back. A probe the broker accepted but has not delivered for longer than
 * the probe time-out means the session has stopped receiving while the broker holds messages for it (its in-flight
 * slots stuck, the bridge's reads stalled) — a stall that no connection state shows. Written by the session,
 * read by readiness.
 */
public final class DeliveryStatus {

    private volatile long outstandingSinceNanos = -1;
    private volatile Instant outstandingSince;
    private volatile long lastRoundTripMillis = -1;
    private volatile boolean enabled;

    /** A probe left: the broker has it. Ignored while an earlier one is still out (the older one counts). */
    public synchronized void sent(long nowNanos) {
        enabled = true;
        if (outstandingSinceNanos < 0) {
            outstandingSinceNanos = nowNanos;
            outstandingSince = Instant.now();
        }
    }

    /** A probe came back: delivery works. */
    public synchronized void received(long nowNanos) {
        if (outstandingSinceNanos >= 0) {
            lastRoundTripMillis = (nowNanos - outstandingSinceNanos) / 1_000_000;
        }
        outstandingSinceNanos = -1;
        outstandingSince = null;
    }

    /** The connection went away: what was out will come (or not) on the next one, which sends a new probe. */
    public synchronized void reset() {
        outstandingSinceNanos = -1;
        outstandingSince = null;
    }

    public boolean stalled(Duration limit, long nowNanos) {
        long since = outstandingSinceNanos;
        return since >= 0 && nowNanos - since > limit.toNanos();
    }

    public boolean enabled() {
        return enabled;
    }

    /** When the probe still out was sent, or null. */
    public Instant outstandingSince() {
        return outstandingSince;
    }

    /** How long the last probe took to come back (ms), or -1. */
    public long lastRoundTripMillis() {
        return lastRoundTripMillis;
    }
}
