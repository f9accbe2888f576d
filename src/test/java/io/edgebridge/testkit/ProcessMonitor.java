package io.edgebridge.testkit;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples a running bridge: resident memory from /proc, readiness and the in-flight gauge, keeping the peaks and
 * every readiness change.
 */
public final class ProcessMonitor implements AutoCloseable {

    private final Thread thread;
    private final AtomicLong maxRssKb = new AtomicLong();
    private final AtomicLong maxInFlight = new AtomicLong();
    private final AtomicLong maxReadinessMillis = new AtomicLong();
    private final List<String> readiness = Collections.synchronizedList(new ArrayList<>());
    private volatile BridgeProcess bridge;
    private volatile boolean running = true;

    public ProcessMonitor(BridgeProcess initial) {
        this.bridge = initial;
        thread = new Thread(this::sample, "process-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    /** Follows a restarted bridge. */
    public void follow(BridgeProcess next) {
        bridge = next;
    }

    private void sample() {
        while (running) {
            BridgeProcess current = bridge;
            if (current.process().isAlive()) {
                maxRssKb.accumulateAndGet(rssKb(current.process().pid()), Math::max);
                long asked = System.nanoTime();
                HttpResponse<String> ready = current.get("/q/health/ready");
                maxReadinessMillis.accumulateAndGet((System.nanoTime() - asked) / 1_000_000, Math::max);
                String state = ready == null
                        ? "NO-ANSWER(" + current.lastFailure() + ")"
                        : ready.statusCode() == 200 ? "UP" : "DOWN";
                synchronized (readiness) {
                    if (readiness.isEmpty()
                            || !readiness.get(readiness.size() - 1).equals(state)) {
                        readiness.add(state);
                    }
                }
                HttpResponse<String> metrics = current.get("/q/metrics");
                if (metrics != null && metrics.statusCode() == 200) {
                    maxInFlight.accumulateAndGet(
                            (long) Metrics.sum(metrics.body(), "edgebridge_telemetry_in_flight"), Math::max);
                }
            }
            Ports.sleep(200);
        }
    }

    /** Resident memory of a process (VmRSS), 0 when it is gone. */
    public static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // process gone
        }
        return 0;
    }

    /**
     * CPU time the process has used so far (user + system, from /proc/pid/stat), in seconds; -1 when it is gone.
     * Clock ticks are taken as 100 per second, the Linux USER_HZ on every common architecture.
     */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Context switches of every thread of a process so far, {voluntary, nonvoluntary}, summed over
     * /proc/pid/task/&#42;/status: /proc/pid/status alone counts the main thread's. Threads that already ended are
     * not counted. {-1, -1} when the process is gone.
     */
    public static long[] contextSwitches(long pid) {
        long[] sum = new long[2];
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            sum[0] += Long.parseLong(
                                    line.substring(line.indexOf(':') + 1).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            sum[1] += Long.parseLong(
                                    line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException e) {
                    // the thread ended while we read
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    public long maxRssMb() {
        return maxRssKb.get() / 1024;
    }

    /** The slowest readiness answer, in milliseconds. */
    public long maxReadinessMillis() {
        return maxReadinessMillis.get();
    }

    public long maxInFlight() {
        return maxInFlight.get();
    }

    /** Readiness states in the order seen, without repeats, e.g. [UP, DOWN, UP]. */
    public List<String> readiness() {
        synchronized (readiness) {
            return new ArrayList<>(readiness);
        }
    }

    @Override
    public void close() {
        running = false;
    }
}
