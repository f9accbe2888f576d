package io.edgebridge.cluster;

import java.time.Duration;

/**
 * How long this member may still act as the owner of its shards without hearing from the group: renewed with the
 * time a request was <em>sent</em> whose success proves the coordinator counted this member when it answered (an
 * offset commit, which also restarts the member's session there). The coordinator gives shards away only after a
 * whole session timeout without such a request, so a lease shorter than that expires first, however long this process
 * was paused. Times are {@link System#nanoTime()} values, passed in: pure and thread-safe.
 */
final class Lease {

    private static final long NEVER = Long.MIN_VALUE;

    private final long lengthNanos;
    private volatile long renewedAt = NEVER;

    Lease(Duration length) {
        this.lengthNanos = length.toNanos();
    }

    /** A request sent at {@code sentAtNanos} succeeded; an older success never shortens a newer one. */
    synchronized void renew(long sentAtNanos) {
        if (renewedAt == NEVER || sentAtNanos - renewedAt > 0) {
            renewedAt = sentAtNanos;
        }
    }

    /** Forgets the last renewal: after a loss nothing older counts again. */
    synchronized void end() {
        renewedAt = NEVER;
    }

    boolean valid(long nowNanos) {
        long renewed = renewedAt;
        return renewed != NEVER && nowNanos - renewed < lengthNanos;
    }

    /** Time since the last renewal, or null when there was none. */
    Duration age(long nowNanos) {
        long renewed = renewedAt;
        return renewed == NEVER ? null : Duration.ofNanos(nowNanos - renewed);
    }
}
