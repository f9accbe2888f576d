package io.edgebridge.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a scenario's messages down one path, round robin over the devices, at a fixed rate or as fast as the path
 * takes them, and accounts what arrives at its far end in a {@link Ledger}. Every receiver hands what it got to
 * {@link #received}.
 *
 * <p>Fixed-rate runs time each message from its intended send time, so a stalled sender does not hide the stall
 * (no coordinated omission). Max-rate runs keep at most {@code maxOutstanding} messages sent but not yet received,
 * so queues stay bounded and the rate is what the path sustains.
 */
final class LoadGenerator {

    /** Hands message {@code seq} of device {@code d} to the path; must not block. */
    interface Sender {
        void send(int device, long seq, byte[] payload);
    }

    /** CPU samples at the warm-up's start and the measured window's start and end; the JIT compiles in the warm-up. */
    record Driven(
            Ledger.Figures figures,
            double generatorRate,
            CpuSample warmupStart,
            CpuSample windowStart,
            CpuSample windowEnd,
            long warmupSent) {

        /** The cores each process and the machine used in the measured window. */
        ObjectNode cores(ObjectNode into) {
            return windowEnd.coresSince(windowStart, into);
        }
    }

    private final Duration duration;
    private final Duration drainBound;
    private final int maxOutstanding;
    private final AtomicReference<Ledger> ledger = new AtomicReference<>();

    LoadGenerator(Duration duration, Duration drainBound, int maxOutstanding) {
        this.duration = duration;
        this.drainBound = drainBound;
        this.maxOutstanding = maxOutstanding;
    }

    /** Accounts a payload that arrived at the far end of the path being driven (any thread). */
    void received(byte[] payload) {
        Ledger current = ledger.get();
        if (current != null) {
            current.record(payload);
        }
    }

    /**
     * Sends for warm-up + duration, round robin over the devices, then waits (bounded) until every message arrived.
     * The CPU of {@code pids} is sampled at the warm-up's start and the measured window's start and end,
     * {@code sample} (may be null) every 200 ms while sending.
     *
     * <p>The warm-up keeps at most {@code maxOutstanding} messages outstanding at any rate. A fixed-rate run then
     * waits until the warm-up's messages have arrived and starts its schedule and the measured window afresh: a
     * freshly started JVM falls behind a fixed rate while it compiles, and that backlog is the warm-up's, not the
     * steady state's. Inside the window every latency is still taken from the intended send time.
     */
    Driven drive(Scenario s, Sender sender, Map<String, Long> pids, Runnable sample, Duration warmup) {
        int devices = s.devices();
        long start = System.nanoTime();
        long windowStart = start + warmup.toNanos();
        long end = windowStart + duration.toNanos();
        long scheduleStart =
                start; // a fixed rate's k-th message is meant for scheduleStart + (k - scheduleBase) / rate
        long scheduleBase = 0;
        boolean measuring = false;
        Ledger current = new Ledger(devices, windowStart, end);
        ledger.set(current);
        long[] sent = new long[devices];
        long k = 0;
        long forgiven = 0; // QoS 0 messages given up on, so the max-rate window does not wait for them
        long stalledSince = 0;
        long lastUnique = -1;
        CpuSample cpuWarmupStart = CpuSample.take(pids);
        CpuSample cpuStart = cpuWarmupStart;
        long warmupSent = 0;
        long nextSample = start;
        while (true) {
            long now = System.nanoTime();
            if (sample != null && now >= nextSample) {
                sample.run();
                nextSample = now + 200_000_000L;
            }
            if (!measuring && now >= windowStart) {
                measuring = true;
                if (s.rate() > 0) {
                    long backlog = k - forgiven - current.unique();
                    awaitArrivals(current, k - forgiven, drainBound);
                    System.err.printf(
                            "[bench]   warm-up: %d sent, %d outstanding at its end, %d after %d ms%n",
                            k, backlog, k - forgiven - current.unique(), (System.nanoTime() - now) / 1_000_000);
                    now = System.nanoTime();
                    windowStart = now;
                    end = now + duration.toNanos();
                    current.window(windowStart, end);
                    scheduleStart = now;
                    scheduleBase = k;
                }
                cpuStart = CpuSample.take(pids);
                warmupSent = k;
            }
            if (now >= end) {
                break;
            }
            long intended = now;
            if (s.rate() > 0) {
                intended = scheduleStart + (long) ((k - scheduleBase) * 1e9 / s.rate());
                if (intended > now) {
                    LockSupport.parkNanos(Math.min(intended - now, 1_000_000));
                    continue;
                }
            }
            if (s.rate() <= 0 || !measuring) {
                long unique = current.unique();
                if (k - unique - forgiven >= maxOutstanding) {
                    if (unique != lastUnique) {
                        lastUnique = unique;
                        stalledSince = now;
                    } else if (s.qos() == 0 && now - stalledSince > 500_000_000L) {
                        forgiven = k - unique; // nothing arrives any more: some were dropped (QoS 0 may drop)
                    }
                    LockSupport.parkNanos(50_000);
                    continue;
                }
            }
            int d = (int) (k % devices);
            long seq = sent[d]++;
            sender.send(d, seq, s.payload(d, seq, intended));
            k++;
        }
        CpuSample cpuEnd = CpuSample.take(pids);
        double generatorRate = (k - warmupSent) / ((System.nanoTime() - windowStart) / 1e9);
        awaitArrivals(current, k, drainBound);
        // Late duplicates show up within a moment of the last message; give them that moment.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
        ledger.set(null);
        return new Driven(current.figures(sent), generatorRate, cpuWarmupStart, cpuStart, cpuEnd, warmupSent);
    }

    private static void awaitArrivals(Ledger ledger, long count, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (ledger.unique() < count && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
