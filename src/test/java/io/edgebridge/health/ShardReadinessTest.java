package io.edgebridge.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The cluster-shards check shows what this replica owns, and a replica that owns nothing is still ready. */
class ShardReadinessTest {

    @Test
    void showsTheOwnedShardsAndStaysUpWithout() {
        OwnedShards shards = new OwnedShards();
        shards.describe(true, "edge-bridge-7c9f5-x2lqd", 3);
        shards.update(List.of(0, 2), List.of(1));

        HealthCheckResponse owning = new ShardReadiness().clusterShards(shards).call();
        assertEquals("cluster-shards", owning.getName());
        assertEquals(HealthCheckResponse.Status.UP, owning.getStatus());
        Map<String, Object> data = owning.getData().orElseThrow();
        assertEquals("edge-bridge-7c9f5-x2lqd", data.get("member"));
        assertEquals(3L, ((Number) data.get("shards")).longValue());
        assertEquals("0,2", data.get("owned"));
        assertEquals("1", data.get("releasing"));

        shards.update(List.of(), List.of());
        HealthCheckResponse none = new ShardReadiness().clusterShards(shards).call();
        assertEquals(HealthCheckResponse.Status.UP, none.getStatus(), "it still serves the command API");
        assertEquals("none", none.getData().orElseThrow().get("owned"));
    }
}
