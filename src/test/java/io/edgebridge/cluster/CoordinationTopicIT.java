package io.edgebridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.health.OwnedShards;
import io.edgebridge.metrics.ClusterMetrics;
import io.edgebridge.testkit.KafkaBroker;
import io.edgebridge.testkit.TestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The coordination topic on a real broker: created as the shards need it, and refused with another N. */
class CoordinationTopicIT {

    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void createdWithOnePartitionPerShardCompactedAndBrokerStamped() throws Exception {
        group("plant-a", 3).checkTopic(Duration.ofSeconds(30));
        group("plant-a", 3).checkTopic(Duration.ofSeconds(30)); // there already: accepted as it is

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicDescription topic = admin.describeTopics(List.of("plant-a-shards"))
                    .allTopicNames()
                    .get()
                    .get("plant-a-shards");
            assertEquals(3, topic.partitions().size());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "plant-a-shards");
            Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
            assertEquals("LogAppendTime", config.get("message.timestamp.type").value());
        }
    }

    @Test
    void aTopicWithAnotherPartitionCountStopsStartupNamingTheKey() {
        kafka.createTopics(2, "plant-b-shards");

        ConfigurationException refused = assertThrows(
                ConfigurationException.class, () -> group("plant-b", 3).checkTopic(Duration.ofSeconds(30)));

        assertTrue(refused.getMessage().startsWith("bridge.cluster.shards is 3 but"), refused.getMessage());
        assertTrue(refused.getMessage().contains("plant-b-shards (bridge.cluster.topic) has 2 partitions"));
        assertEquals(Set.of("bridge.cluster.shards"), refused.getConfigKeys());
    }

    private static ShardGroup group(String clientId, int shards) {
        ClusterSettings settings = ClusterSettings.from(
                TestConfig.of(Map.of(
                        "bridge.mqtt.client-id",
                        clientId,
                        "bridge.cluster.enabled",
                        "true",
                        "bridge.cluster.shards",
                        Integer.toString(shards))),
                () -> Optional.of("member-1"));
        return new ShardGroup(
                settings,
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new OwnedShards(),
                new ClusterMetrics(new SimpleMeterRegistry()),
                () -> {});
    }
}
