package io.edgebridge.mqtt;

import io.edgebridge.health.WindowStatus;

/**
 * How a telemetry session's window stands, told to readiness ({@link WindowStatus}: full, and whether it still turns
 * over) and kept for the in-flight gauge. Updated on the session's context; the gauge reads it from any thread.
 */
final class WindowReport {

    private final WindowStatus status;
    private long departuresReported;
    private volatile int inFlight;

    WindowReport(WindowStatus status) {
        this.status = status;
    }

    int inFlight() {
        return inFlight;
    }

    void update(InboundWindow<?> window) {
        long now = System.nanoTime();
        if (window.departures() != departuresReported) {
            departuresReported = window.departures();
            status.progress(now); // readiness: a full window that still turns over is not stalled
        }
        inFlight = window.count();
        status.update(window.isBeyond() || window.count() >= window.capacity(), window.count(), window.capacity(), now);
    }
}
