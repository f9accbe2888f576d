package io.edgebridge.telemetry;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** CloudEvent ids: a random per-process prefix plus a counter, unique across restarts without a UUID per message. */
public final class EventIds {

    private final String prefix = UUID.randomUUID().toString().substring(0, 13) + "-";
    private final AtomicLong counter = new AtomicLong();

    public String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
