package io.edgebridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.Metrics;
import io.edgebridge.testkit.Ports;
import io.edgebridge.testkit.ProcessMonitor;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The packaged bridge of one scenario, as one process or as several replicas with the same configuration but their
 * member ids, sharing {@code shards} shards through the Kafka group (docs/replicas.md). Their figures are summed.
 */
final class BridgeReplicas implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<BridgeProcess> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final String clientId;
    private final int shards;
    private final long[] peakRssKb;

    private BridgeReplicas(String clientId, int shards, int replicas) {
        this.clientId = clientId;
        this.shards = shards;
        this.peakRssKb = new long[replicas];
    }

    /**
     * Starts {@code replicas} bridges from {@code jar} with {@code env}; with {@code shards} above 0 clustering is
     * on with that many shards and each replica gets the member id {@code <client id>-r<i>}.
     */
    static BridgeReplicas start(
            Path jar, Map<String, String> env, int replicas, int shards, Path logs, String[] jvmOptions) {
        BridgeReplicas bridges = new BridgeReplicas(env.get("BRIDGE_MQTT_CLIENT_ID"), shards, replicas);
        try {
            for (int i = 1; i <= replicas; i++) {
                Map<String, String> own = new HashMap<>(env);
                if (shards > 0) {
                    own.put("BRIDGE_CLUSTER_ENABLED", "true");
                    own.put("BRIDGE_CLUSTER_SHARDS", Integer.toString(shards));
                    own.put("BRIDGE_CLUSTER_MEMBER_ID", bridges.clientId + "-r" + i);
                }
                Path log = logs.resolveSibling(logs.getFileName() + (replicas == 1 ? "" : "-r" + i) + ".log");
                bridges.logs.add(log);
                bridges.processes.add(BridgeProcess.start(jar, own, log, jvmOptions));
            }
        } catch (RuntimeException e) {
            bridges.close();
            throw e;
        }
        return bridges;
    }

    /**
     * Waits until every replica is ready and, with clustering, every shard is owned and (with no more replicas than
     * shards) every replica owns one, then until they are all ready again with their shards' sessions up.
     */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitEachReady(deadline, timeout, "the bridge");
        if (shards == 0) {
            return;
        }
        for (BridgeProcess bridge : processes) {
            if (owned(bridge) == null) {
                throw new IllegalStateException("this build has no cluster-shards readiness check, so no"
                        + " bridge.cluster.* settings: it cannot run replicas");
            }
        }
        while (!shared()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replicas did not share the " + shards + " shards within " + timeout
                        + "; owned: " + processes.stream().map(this::owned).toList());
            }
            Ports.sleep(200);
        }
        awaitEachReady(deadline, timeout, "a replica with its shards");
    }

    private void awaitEachReady(long deadline, Duration timeout, String what) {
        for (int i = 0; i < processes.size(); i++) {
            BridgeProcess bridge = processes.get(i);
            if (!bridge.awaitReady(remaining(deadline))) {
                throw new IllegalStateException(what + " was not ready "
                        + (bridge.process().isAlive() ? "within " + timeout : "and exited")
                        + "; its log: " + logs.get(i).toAbsolutePath());
            }
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private boolean shared() {
        Set<Integer> all = new TreeSet<>();
        for (BridgeProcess bridge : processes) {
            Set<Integer> owned = owned(bridge);
            if (owned == null || owned.isEmpty() && processes.size() <= shards) {
                return false;
            }
            all.addAll(owned);
        }
        return all.size() == shards;
    }

    /**
     * The shards a replica owns, from the {@code owned} detail of its readiness check {@code cluster-shards}; empty
     * when it does not answer, null when it answers without that check (a build without clustering).
     */
    private Set<Integer> owned(BridgeProcess bridge) {
        Set<Integer> owned = new TreeSet<>();
        HttpResponse<String> ready = bridge.get("/q/health/ready");
        if (ready == null) {
            return owned;
        }
        try {
            boolean found = false;
            for (JsonNode check : JSON.readTree(ready.body()).path("checks")) {
                if (check.path("name").asText().equals("cluster-shards")) {
                    found = true;
                    for (String shard :
                            check.path("data").path("owned").asText().split(",")) {
                        if (shard.trim().matches("\\d+")) {
                            owned.add(Integer.parseInt(shard.trim()));
                        }
                    }
                }
            }
            return found ? owned : null;
        } catch (Exception e) {
            return owned; // no readable answer: nothing owned that we can see
        }
    }

    int replicas() {
        return processes.size();
    }

    /** The processes to follow: {@code bridge}, or {@code bridge-1} ... for replicas (see {@link CpuSample}). */
    Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (int i = 0; i < processes.size(); i++) {
            String name = processes.size() == 1 ? CpuSample.BRIDGE : CpuSample.BRIDGE + "-" + (i + 1);
            pids.put(name, processes.get(i).process().pid());
        }
        return pids;
    }

    /** Samples each replica's resident memory (from /proc, not over HTTP: a poll would load the bridge). */
    void sampleRss() {
        for (int i = 0; i < processes.size(); i++) {
            peakRssKb[i] = Math.max(
                    peakRssKb[i],
                    ProcessMonitor.rssKb(processes.get(i).process().pid()));
        }
    }

    /** The largest replica's peak resident memory. */
    long peakRssMb() {
        long peak = 0;
        for (long kb : peakRssKb) {
            peak = Math.max(peak, kb);
        }
        return peak / 1024;
    }

    /** A counter of /q/metrics summed over the replicas; -1 when one does not answer. */
    double metric(String name) {
        double sum = 0;
        for (BridgeProcess bridge : processes) {
            HttpResponse<String> response = bridge.get("/q/metrics");
            if (response == null || response.statusCode() != 200) {
                return -1;
            }
            sum += Metrics.sum(response.body(), name);
        }
        return sum;
    }

    /**
     * The persistent MQTT sessions a bridge with {@code clientId} held: that id, or with several shards one per shard.
     * Command connections have clean sessions.
     */
    static List<String> sessions(String clientId, int shards) {
        List<String> ids = new ArrayList<>();
        if (shards <= 1) {
            ids.add(clientId);
        } else {
            for (int k = 0; k < shards; k++) {
                ids.add(clientId + "-s" + k);
            }
        }
        return ids;
    }

    /** Stops every replica at once (SIGTERM, then SIGKILL after 15 s), so none takes over another's shards. */
    @Override
    public void close() {
        processes.forEach(bridge -> bridge.process().destroy());
        processes.forEach(BridgeProcess::close);
    }
}
