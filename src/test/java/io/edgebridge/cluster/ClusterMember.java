package io.edgebridge.cluster;

import io.edgebridge.health.OwnedShards;
import io.edgebridge.metrics.ClusterMetrics;
import io.edgebridge.testkit.TestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One member of a shard group in its own JVM, for {@link ShardGroupIT}: it joins with the bridge's own
 * {@link ShardGroup}, stands in for the MQTT side, and prints every ownership change and every change of
 * {@code mayConnect}, each with the wall-clock time, as {@code EVENT <millis> <member> <what> <shard>}. SIGTERM leaves
 * the group the way the bridge does. Arguments: bootstrap servers, member id, shards, session timeout, topic, group,
 * and how long a release takes (the drain it stands for).
 */
public final class ClusterMember {

    /** Held: a logger configured here must not be collected and forget its settings. */
    private static final Logger ROOT = Logger.getLogger("");

    private static final Logger KAFKA_LOGS = Logger.getLogger("org.apache.kafka");

    private ClusterMember() {}

    public static void main(String[] args) throws Exception {
        // The bridge's own log lines (one per ownership change) go to stdout with the events; Kafka's only when bad.
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(Level.INFO);
        ROOT.addHandler(console);
        ROOT.setLevel(Level.INFO);
        KAFKA_LOGS.setLevel(Level.WARNING);
        String member = args[1];
        ClusterSettings settings = ClusterSettings.from(
                TestConfig.of(Map.of(
                        "bridge.cluster.enabled", "true",
                        "bridge.cluster.member-id", member,
                        "bridge.cluster.shards", args[2],
                        "bridge.cluster.session-timeout", args[3],
                        "bridge.cluster.topic", args[4],
                        "bridge.cluster.group-id", args[5])),
                Optional::empty);
        long releaseMillis = Long.parseLong(args[6]);
        ShardGroup group = new ShardGroup(
                settings,
                Map.of("bootstrap.servers", args[0]),
                new OwnedShards(),
                new ClusterMetrics(new SimpleMeterRegistry()),
                () -> System.exit(3));
        Thread watcher = new Thread(() -> watch(group, member), "may-connect-watcher");
        watcher.setDaemon(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            event(member, "leaving", -1);
            group.close();
            event(member, "left", -1);
        }));
        group.start(new ShardListener() {
            @Override
            public void acquired(int shard) {
                event(member, "acquired", shard);
            }

            @Override
            public CompletionStage<Void> releasing(int shard) {
                event(member, "releasing", shard);
                CompletableFuture<Void> released = new CompletableFuture<>();
                CompletableFuture.delayedExecutor(releaseMillis, TimeUnit.MILLISECONDS)
                        .execute(() -> {
                            event(member, "released", shard);
                            released.complete(null);
                        });
                return released;
            }

            @Override
            public void lost(int shard) {
                event(member, "lost", shard);
            }
        });
        watcher.start();
        event(member, "started", -1);
        Thread.currentThread().join(); // until SIGTERM or SIGKILL
    }

    /** Samples mayConnect every 2 ms and prints each change: what an MQTT session would be allowed to do. */
    private static void watch(ShardGroup group, String member) {
        boolean[] may = new boolean[group.shards()];
        while (true) {
            for (int shard = 0; shard < may.length; shard++) {
                boolean now = group.mayConnect(shard);
                if (now != may[shard]) {
                    may[shard] = now;
                    event(member, now ? "may-connect" : "may-not-connect", shard);
                }
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static synchronized void event(String member, String what, int shard) {
        System.out.println("EVENT " + System.currentTimeMillis() + " " + member + " " + what + " " + shard);
        System.out.flush();
    }
}
