package io.edgebridge.health;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one broker connection, written by the side that owns the connection and read by readiness.
 * {@link #update} returns whether the state changed, so callers log one line per change and not per retry.
 */
public final class ConnectionStatus {

    private final String name;
    private volatile String endpoint = "";
    private volatile boolean up;
    private volatile Instant since = Instant.now();
    private volatile String lastError;
    private final AtomicLong losses = new AtomicLong();

    public ConnectionStatus(String name) {
        this.name = name;
    }

    public synchronized boolean update(boolean nowUp, String error) {
        boolean changed = nowUp != up || (!nowUp && error != null && !error.equals(lastError));
        if (nowUp != up) {
            since = Instant.now();
            if (up) {
                losses.incrementAndGet();
            }
        }
        up = nowUp;
        if (error != null) {
            lastError = error;
        }
        return changed;
    }

    public void endpoint(String value) {
        endpoint = value;
    }

    public String name() {
        return name;
    }

    public String endpoint() {
        return endpoint;
    }

    public boolean isUp() {
        return up;
    }

    public Instant since() {
        return since;
    }

    /** How often the connection went from up to down. */
    public long losses() {
        return losses.get();
    }

    public String lastError() {
        return lastError;
    }
}
