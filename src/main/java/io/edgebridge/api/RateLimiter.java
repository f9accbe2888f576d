package io.edgebridge.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per client, for at most {@code maxClients} clients: the least recently seen is forgotten first,
 * so a flood of client names costs bounded memory (a forgotten client starts again with a full bucket).
 */
public final class RateLimiter {

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets;

    public RateLimiter(double requestsPerSecond, int burst, int maxClients, LongSupplier nanoTime) {
        this.perNano = requestsPerSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    /** 0 when the request may go ahead; otherwise the whole seconds until it would (at least 1). */
    public synchronized long tryAcquire(String client) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(burst, now));
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) * perNano);
        bucket.refilledAt = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perNano / 1e9));
    }

    synchronized int clients() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }
}
