package io.edgebridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.edgebridge.testkit.TestConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.junit.jupiter.api.Test;

/** The group member is a classic, cooperative-sticky, dynamic member on the bridge's own Kafka settings. */
class ClusterClientsTest {

    private static final Map<String, Object> KAFKA = Map.of(
            "bootstrap.servers", "kafka:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "compression.type", "lz4");

    private final ClusterSettings settings = ClusterSettings.from(
            TestConfig.of(Map.of("bridge.cluster.enabled", "true", "bridge.cluster.shards", "3")),
            () -> Optional.of("pod-a"));

    @Test
    void theMemberIsAClassicCooperativeDynamicOne() {
        Map<String, Object> consumer = ClusterClients.consumer(settings, KAFKA);

        assertEquals("kafka:9093", consumer.get("bootstrap.servers"));
        assertEquals("SASL_SSL", consumer.get("security.protocol"), "security as the rest of the bridge");
        assertFalse(consumer.containsKey("compression.type"), "a producer's setting is not the consumer's");
        assertEquals("edge-bridge-cluster", consumer.get("group.id"));
        assertEquals("pod-a-cluster", consumer.get("client.id"));
        assertEquals("classic", consumer.get("group.protocol"));
        assertEquals(CooperativeStickyAssignor.class.getName(), consumer.get("partition.assignment.strategy"));
        assertFalse(consumer.containsKey("group.instance.id"), "dynamic: a leaving member hands over at once");
        assertEquals(15_000, consumer.get("session.timeout.ms"));
        assertEquals(1_500, consumer.get("heartbeat.interval.ms"));
        assertEquals(37_000, consumer.get("max.poll.interval.ms"));
        assertEquals(false, consumer.get("enable.auto.commit"), "commits renew the lease, nothing else");
    }

    @Test
    void recordsAndTheTopicCheckWaitBoundedTimes() {
        Map<String, Object> producer = ClusterClients.producer(settings, KAFKA);
        assertEquals("lz4", producer.get("compression.type"));
        assertEquals("all", producer.get("acks"));
        assertEquals(2_000, producer.get("max.block.ms"));

        Map<String, Object> admin = ClusterClients.admin(settings, KAFKA, Duration.ofSeconds(10));
        assertEquals(10_000, admin.get("default.api.timeout.ms"));
        assertEquals("pod-a-cluster-admin", admin.get("client.id"));
    }
}
