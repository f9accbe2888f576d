package io.edgebridge.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgebridge.testkit.ProcessMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time of the processes a scenario runs on, and of the whole machine, at one instant. Two samples give the
 * cores each process used in between: the bridge shares this machine's cores with the brokers, the load generator
 * and the consumer, and the ceilings do not carry all of them, so this shows where the cores went. The hypervisor's
 * steal shows when the machine itself was slow. Times are in clock ticks of 1/100 s (Linux USER_HZ).
 *
 * <p>Processes named {@value #BRIDGE} or {@value #BRIDGE}-something are the bridge's (one, or several replicas): their
 * figures are summed, and for them the context switches of every thread are read too.
 */
record CpuSample(
        long nanos,
        Map<String, Double> processSeconds,
        Map<String, long[]> bridgeSwitches,
        long busyTicks,
        long stealTicks,
        long totalTicks) {

    static final String BRIDGE = "bridge";

    /** {@code pids}: a name for each process to follow (a negative pid is a process that is not running). */
    static CpuSample take(Map<String, Long> pids) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, long[]> switches = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            seconds.put(name, pid < 0 ? -1 : ProcessMonitor.cpuSeconds(pid));
            if (isBridge(name)) {
                switches.put(name, pid < 0 ? new long[] {-1, -1} : ProcessMonitor.contextSwitches(pid));
            }
        });
        long[] machine = machineTicks();
        return new CpuSample(System.nanoTime(), seconds, switches, machine[0], machine[1], machine[2]);
    }

    static boolean isBridge(String process) {
        return process.equals(BRIDGE) || process.startsWith(BRIDGE + "-");
    }

    /** From the first line of /proc/stat: {@code cpu user nice system idle iowait irq softirq steal ...}. */
    private static long[] machineTicks() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            String[] f = lines.findFirst().orElseThrow().trim().split("\\s+");
            long busy = Long.parseLong(f[1])
                    + Long.parseLong(f[2])
                    + Long.parseLong(f[3])
                    + Long.parseLong(f[6])
                    + Long.parseLong(f[7]);
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new long[] {busy, steal, busy + idle + steal};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1, -1};
        }
    }

    /** CPU seconds {@code process} used from {@code earlier} to this sample; NaN if it was not followed or ended. */
    double secondsSince(CpuSample earlier, String process) {
        Double now = processSeconds.get(process);
        Double then = earlier.processSeconds.get(process);
        return now == null || then == null || now < 0 || then < 0 ? Double.NaN : now - then;
    }

    /** CPU seconds the bridge's processes used together from {@code earlier} to this sample; NaN if one ended. */
    double bridgeSecondsSince(CpuSample earlier) {
        double sum = 0;
        for (String process : processSeconds.keySet()) {
            if (isBridge(process)) {
                sum += secondsSince(earlier, process);
            }
        }
        return sum;
    }

    /** The bridge's processes' context switches from {@code earlier} to this sample: {voluntary, nonvoluntary}. */
    long[] bridgeSwitchesSince(CpuSample earlier) {
        long[] sum = new long[2];
        for (Map.Entry<String, long[]> now : bridgeSwitches.entrySet()) {
            long[] then = earlier.bridgeSwitches.get(now.getKey());
            if (then == null || then[0] < 0 || now.getValue()[0] < 0) {
                return new long[] {-1, -1};
            }
            sum[0] += now.getValue()[0] - then[0];
            sum[1] += now.getValue()[1] - then[1];
        }
        return sum;
    }

    /**
     * Puts into {@code into} the cores each process used from {@code earlier} to this sample, then the machine's busy
     * cores, the cores the hypervisor stole and the cores it has in all.
     */
    ObjectNode coresSince(CpuSample earlier, ObjectNode into) {
        double seconds = (nanos - earlier.nanos) / 1e9;
        int bridges = 0;
        for (String process : processSeconds.keySet()) {
            into.put(process, cores(secondsSince(earlier, process), seconds));
            bridges += isBridge(process) ? 1 : 0;
        }
        if (bridges > 1) {
            into.put("bridges", cores(bridgeSecondsSince(earlier), seconds));
        }
        boolean machine = busyTicks >= 0 && earlier.busyTicks >= 0;
        into.put("machine_busy", machine ? cores((busyTicks - earlier.busyTicks) / 100.0, seconds) : -1);
        into.put("machine_steal", machine ? cores((stealTicks - earlier.stealTicks) / 100.0, seconds) : -1);
        into.put("machine_cores", machine ? cores((totalTicks - earlier.totalTicks) / 100.0, seconds) : -1);
        return into;
    }

    private static double cores(double cpuSeconds, double seconds) {
        return Double.isFinite(cpuSeconds) && seconds > 0 ? Math.round(cpuSeconds / seconds * 100) / 100.0 : -1;
    }
}
