package io.edgebridge.cluster;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.SharedBrokers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * With bridge.cluster.enabled the bridge injects a Kafka group as its shard ownership and creates the coordination
 * topic at startup; the MQTT side joins the group once the telemetry stream runs, and alone this replica owns every
 * shard, each with a session of its own.
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
        Awaitility.await("both shards owned")
                .atMost(Duration.ofSeconds(30))
                .until(() -> ownership.owned().equals(List.of(0, 1)));
        assertTrue(ownership.mayConnect(0) && ownership.mayConnect(1), "owned, within the lease");
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
                .body("checks.find { it.name == 'cluster-shards' }.data.owned", equalTo("0,1"));
        Awaitility.await("a session per shard, each connected")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready")
                        .then()
                        .body("checks.find { it.name == 'mqtt-broker' }.status", equalTo("UP")));
    }
}
