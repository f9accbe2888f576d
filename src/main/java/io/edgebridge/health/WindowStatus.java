package io.edgebridge.health;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether the telemetry session has stopped taking messages because its in-flight window is full, and since when.
 * Written by the session on its event loop, read by readiness. A full window is normal for moments at high load
 * (PUBACKs wait for Kafka); only a window full for longer than the configured time means the bridge is stuck.
 */
public final class WindowStatus {

    private volatile long fullSinceNanos = -1;
    private volatile long lastProgressNanos = -1;
    private volatile Instant fullSince;
    private volatile int inFlight;
    private volatile int capacity;

    /** Called by the session whenever its window changes. */
    public void update(boolean full, int inFlightNow, int capacityNow, long nowNanos) {
        inFlight = inFlightNow;
        capacity = capacityNow;
        if (full && fullSinceNanos < 0) {
            fullSinceNanos = nowNanos;
            fullSince = Instant.now();
        } else if (!full && fullSinceNanos >= 0) {
            fullSinceNanos = -1;
            fullSince = null;
        }
    }

    /** Called by the session when a message leaves the window (Kafka answered and the broker was told). */
    public void progress(long nowNanos) {
        lastProgressNanos = nowNanos;
    }

    /**
     * True when the window has been full, with no message leaving it, for longer than {@code limit}: a window that
     * is full but turning over under load is not stalled.
     */
    public boolean stalled(Duration limit, long nowNanos) {
        long since = fullSinceNanos;
        return since >= 0 && nowNanos - Math.max(since, lastProgressNanos) > limit.toNanos();
    }

    public int inFlight() {
        return inFlight;
    }

    public int capacity() {
        return capacity;
    }

    /** When the window last became full, or null while it is not. */
    public Instant fullSince() {
        return fullSince;
    }
}
