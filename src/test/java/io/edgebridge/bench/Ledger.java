package io.edgebridge.bench;

import java.util.Arrays;
import java.util.BitSet;

/**
 * What arrived at the far end of one measured path: per device the numbers seen (lost, duplicates, out of order)
 * and, for messages meant to be sent inside the measured window, the latency from the intended send time.
 *
 * <p>Payloads are {@code <device>:<seq>:<intendedNanos>:<padding>}, written by {@link Payloads}; the clock is this
 * JVM's {@code System.nanoTime()}, shared by the load generator and every receiver.
 */
final class Ledger {

    private final BitSet[] seen;
    private final int[] highest;
    private long windowStart; // guarded by this
    private long windowEnd;
    private long unique;
    private long duplicates;
    private long outOfOrder;
    private long foreign;
    private long arrivedInWindow;
    private long[] latencies = new long[1 << 16];
    private int latencyCount;
    private volatile long uniqueSeen;

    Ledger(int devices, long windowStart, long windowEnd) {
        this.seen = new BitSet[devices];
        this.highest = new int[devices];
        for (int i = 0; i < devices; i++) {
            seen[i] = new BitSet();
            highest[i] = -1;
        }
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    /** Moves the measured window (a fixed-rate run starts it once the warm-up's backlog has arrived). */
    synchronized void window(long start, long end) {
        windowStart = start;
        windowEnd = end;
        arrivedInWindow = 0; // what arrived while the warm-up drained counted for the window first planned
        latencyCount = 0;
    }

    /** Accounts one received payload (any thread). */
    void record(byte[] payload) {
        long now = System.nanoTime();
        long[] parsed = Payloads.parse(payload);
        synchronized (this) {
            if (parsed == null || parsed[0] < 0 || parsed[0] >= seen.length) {
                foreign++;
                return;
            }
            int device = (int) parsed[0];
            int seq = (int) parsed[1];
            long intended = parsed[2];
            if (now >= windowStart && now < windowEnd) {
                arrivedInWindow++;
            }
            if (seen[device].get(seq)) {
                duplicates++;
                return;
            }
            seen[device].set(seq);
            unique++;
            uniqueSeen = unique;
            if (seq < highest[device]) {
                outOfOrder++;
            }
            highest[device] = Math.max(highest[device], seq);
            if (intended >= windowStart && intended < windowEnd) {
                if (latencyCount == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencies.length * 2);
                }
                latencies[latencyCount++] = now - intended;
            }
        }
    }

    /** Distinct messages received so far (lock-free read for the load generator's window). */
    long unique() {
        return uniqueSeen;
    }

    /** The figures, given how many messages each device sent. */
    synchronized Figures figures(long[] sentPerDevice) {
        long lost = 0;
        long sent = 0;
        for (int d = 0; d < seen.length; d++) {
            sent += sentPerDevice[d];
            // Numbers 0..sent-1 were sent; any not seen is lost.
            lost += sentPerDevice[d] - seen[d].get(0, (int) sentPerDevice[d]).cardinality();
        }
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        double seconds = (windowEnd - windowStart) / 1e9;
        return new Figures(
                sent,
                unique,
                lost,
                duplicates,
                outOfOrder,
                foreign,
                arrivedInWindow / seconds,
                millis(sorted, 0.50),
                millis(sorted, 0.99),
                millis(sorted, 0.999),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6,
                sorted.length);
    }

    private static double millis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** One path's outcome; latencies in milliseconds over {@code timed} messages. */
    record Figures(
            long sent,
            long received,
            long lost,
            long duplicates,
            long outOfOrder,
            long foreign,
            double throughput,
            double p50,
            double p99,
            double p999,
            double max,
            long timed) {}
}
