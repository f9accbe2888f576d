package io.edgebridge.health;

import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The live state of one broker connection, written by the side that owns the connection and read by readiness.
 * {@link #update} returns whether the state changed, so callers log one line per change and not per retry.
 *
 * <p>A {@link #of composite} status stands for several connections of one kind (the telemetry sessions of the
 * shards a replica owns): up while all of them are (and with none), showing the first one down.
 */
public final class ConnectionStatus {

    private final String name;
    private final Supplier<Collection<ConnectionStatus>> parts; // null: one connection of its own
    private final ConnectionStatus whole; // the composite whose losses this connection's count in, or null
    private volatile String endpoint = "";
    private volatile boolean up;
    private volatile Instant since = Instant.now();
    private volatile String lastError;
    private final AtomicLong losses = new AtomicLong();

    public ConnectionStatus(String name) {
        this(name, null, null);
    }

    private ConnectionStatus(String name, Supplier<Collection<ConnectionStatus>> parts, ConnectionStatus whole) {
        this.name = name;
        this.parts = parts;
        this.whole = whole;
    }

    /** One of the connections a composite stands for: its losses count in the composite's too. */
    public ConnectionStatus part(String partName) {
        return new ConnectionStatus(partName, null, this);
    }

    /** A status that reads {@code parts} (the connections as they are at each read). */
    public static ConnectionStatus of(String name, Supplier<Collection<ConnectionStatus>> parts) {
        return new ConnectionStatus(name, parts, null);
    }

    /** The first part that is down, else the first part, else null (a leaf: itself). */
    private ConnectionStatus representative() {
        if (parts == null) {
            return this;
        }
        ConnectionStatus first = null;
        for (ConnectionStatus part : parts.get()) {
            if (!part.isUp()) {
                return part;
            }
            if (first == null) {
                first = part;
            }
        }
        return first;
    }

    public synchronized boolean update(boolean nowUp, String error) {
        boolean changed = nowUp != up || (!nowUp && error != null && !error.equals(lastError));
        if (nowUp != up) {
            since = Instant.now();
            if (up) {
                losses.incrementAndGet();
                if (whole != null) {
                    whole.losses.incrementAndGet();
                }
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
        ConnectionStatus shown = representative();
        return shown == this || shown == null ? endpoint : shown.endpoint();
    }

    public boolean isUp() {
        ConnectionStatus shown = representative();
        return shown == this ? up : shown == null || shown.isUp();
    }

    public Instant since() {
        ConnectionStatus shown = representative();
        return shown == this || shown == null ? since : shown.since();
    }

    /** How often the connection went from up to down. */
    public long losses() {
        return losses.get();
    }

    public String lastError() {
        ConnectionStatus shown = representative();
        if (shown == this || shown == null) {
            return lastError;
        }
        return shown.lastError() == null ? null : shown.name() + ": " + shown.lastError();
    }
}
