package io.edgebridge.bench;

import io.edgebridge.testkit.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The busy machine ({@code bench.busy}): a process of its own beside the bridge, whose {@code threads} threads each
 * spin for {@code duty} percent of every 10 ms and sleep the rest, so a shared node's neighbours take a fixed share of
 * the cores. It asks for threads x duty / 100 cores; what it gets is in each run's {@code cpu_cores.burner}.
 *
 * <p>Bounded three ways: the benchmark stops it after each scenario, it ends when the benchmark's end of its standard
 * input closes (the benchmark died), and it ends by itself after {@code maxSeconds}.
 */
final class CpuBurner implements AutoCloseable {

    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Process process;

    private CpuBurner(Process process) {
        this.process = process;
    }

    /** Starts the burner as its own JVM (the benchmark's class path, a small heap, C1 only). */
    static CpuBurner start(int threads, int duty, Duration bound, Path log) {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx16m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                CpuBurner.class.getName(),
                Integer.toString(threads),
                Integer.toString(duty),
                Long.toString(bound.toSeconds()));
        try {
            return new CpuBurner(new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return Processes.pid(process);
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // end of input: it exits at once
        } catch (IOException e) {
            // stopped below anyway
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                Processes.stop(process, Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Processes.stop(process, Duration.ofSeconds(5));
        }
    }

    /** {@code <threads> <duty percent> <max seconds>}. */
    public static void main(String[] args) throws InterruptedException {
        int threads = Integer.parseInt(args[0]);
        long spin = PERIOD_NANOS * Math.max(0, Math.min(100, Integer.parseInt(args[1]))) / 100;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        for (int i = 0; i < threads; i++) {
            Thread burner = new Thread(() -> burn(spin, deadline), "burner-" + i);
            burner.setDaemon(true);
            burner.start();
        }
        Thread input = new Thread(
                () -> {
                    try {
                        while (System.in.read() >= 0) {
                            // nothing is sent; only the end of input matters
                        }
                    } catch (IOException e) {
                        // the benchmark is gone
                    }
                    System.exit(0);
                },
                "burner-input");
        input.setDaemon(true);
        input.start();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
        }
        System.exit(0);
    }

    /** Spins {@code spin} ns of every period, on the clock: a thread that got no core for a while does not catch up. */
    private static void burn(long spin, long deadline) {
        long period = System.nanoTime();
        long sink = 0;
        while (period < deadline) {
            long busyUntil = period + spin;
            while (System.nanoTime() < busyUntil) {
                sink += sink * 31 + 7; // work the JIT cannot remove: the loop ends on the clock
            }
            period += PERIOD_NANOS;
            long now = System.nanoTime();
            if (period > now) {
                LockSupport.parkNanos(period - now);
            } else {
                period = now;
            }
        }
        if (sink == 42) {
            System.out.println(sink);
        }
    }
}
