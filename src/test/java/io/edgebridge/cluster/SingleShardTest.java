package io.edgebridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.health.OwnedShards;
import io.edgebridge.metrics.ClusterMetrics;
import io.edgebridge.testkit.TestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Clustering off: shard 0 of 1 is this replica's from start to shutdown, through the same port as a group's. */
class SingleShardTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OwnedShards status = new OwnedShards();
    private final List<String> told = new ArrayList<>();

    @Test
    void shardZeroIsOwnedAlwaysAndReleasedOnShutdown() {
        SingleShard single = new SingleShard(
                ClusterSettings.from(TestConfig.of(Map.of()), () -> Optional.of("host-1")),
                status,
                new ClusterMetrics(registry));

        assertEquals(1, single.shards());
        assertEquals("host-1", single.memberId());
        assertTrue(single.mayConnect(0), "even before start: one code path, no waiting for a group");
        assertFalse(single.mayConnect(1));
        assertEquals(List.of(0), status.owned());
        assertFalse(status.clustered());

        single.start(listener());
        assertEquals(List.of("acquired 0"), told);
        assertThrows(IllegalStateException.class, () -> single.start(listener()));

        single.close();
        assertEquals(List.of("acquired 0", "releasing 0"), told);
        assertFalse(single.mayConnect(0));
        assertEquals(List.of(), single.owned());
        assertEquals(List.of(), status.owned());
        assertEquals(
                1.0,
                registry.get("edgebridge.cluster.handovers")
                        .tag("event", "acquired")
                        .counter()
                        .count());
        assertEquals(
                1.0,
                registry.get("edgebridge.cluster.handovers")
                        .tag("event", "released")
                        .counter()
                        .count());
        single.close();
        assertEquals(2, told.size(), "released once");
    }

    private ShardListener listener() {
        return new ShardListener() {
            @Override
            public void acquired(int shard) {
                told.add("acquired " + shard);
            }

            @Override
            public CompletionStage<Void> releasing(int shard) {
                told.add("releasing " + shard);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void lost(int shard) {
                told.add("lost " + shard);
            }
        };
    }
}
