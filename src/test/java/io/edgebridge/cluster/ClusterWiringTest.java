package io.edgebridge.cluster;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.SharedBrokers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * With bridge.cluster.enabled the bridge injects a Kafka group as its shard ownership and creates the coordination
 * topic at startup; until the MQTT side starts it, it owns nothing, and is ready all the same.
 */
@QuarkusTest
@TestProfile(ClusterWiringTest.ClusterOn.class)
class ClusterWiringTest {

    public static class ClusterOn implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    RealBrokersResource.class,
                    Map.of(
                            "bridge.mqtt.client-id", "edge-bridge-cluster-wiring",
                            "bridge.cluster.enabled", "true",
                            "bridge.cluster.shards", "2",
                            "bridge.cluster.member-id", "wiring-1")));
        }
    }

    @Inject
    ShardOwnership ownership;

    @Test
    void theGroupIsWiredAndTheTopicMadeAtStartup() throws Exception {
        assertInstanceOf(ShardGroup.class, ownership);
        assertEquals(2, ownership.shards());
        assertEquals("wiring-1", ownership.memberId());
        assertFalse(ownership.mayConnect(0), "not started by the MQTT side: nothing owned");
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", SharedBrokers.kafka().bootstrapServers()))) {
            assertEquals(
                    2,
                    admin.describeTopics(List.of("edge-bridge-cluster-wiring-shards"))
                            .allTopicNames()
                            .get()
                            .get("edge-bridge-cluster-wiring-shards")
                            .partitions()
                            .size());
        }
        given().get("/q/health/ready")
                .then()
                .body("checks.find { it.name == 'cluster-shards' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'cluster-shards' }.data.clustered", equalTo(true))
                .body("checks.find { it.name == 'cluster-shards' }.data.member", equalTo("wiring-1"))
                .body("checks.find { it.name == 'cluster-shards' }.data.owned", equalTo("none"));
    }
}
