package io.edgebridge.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The settings of the group's Kafka clients: the bridge's {@code kafka.*} (bootstrap servers, security) that each
 * client knows, plus their own. The consumer is the group member: classic protocol, cooperative-sticky assignment,
 * dynamic membership (a leaving member hands over at once; a static member's shards would wait a session timeout),
 * no auto-commit (commits renew the lease). The producer writes the coordination records, the admin client the topic.
 */
final class ClusterClients {

    private ClusterClients() {}

    static Map<String, Object> consumer(ClusterSettings settings, Map<String, Object> kafka) {
        Map<String, Object> config = only(kafka, ConsumerConfig.configNames());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.memberId() + "-cluster");
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, millis(settings.sessionTimeout()));
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, millis(settings.heartbeatInterval()));
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, millis(settings.maxPollInterval()));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return config;
    }

    static Map<String, Object> producer(ClusterSettings settings, Map<String, Object> kafka) {
        Map<String, Object> config = only(kafka, ProducerConfig.configNames());
        int timeout = millis(settings.requestTimeout());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.memberId() + "-cluster-records");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * timeout);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }

    static Map<String, Object> admin(ClusterSettings settings, Map<String, Object> kafka, Duration timeout) {
        Map<String, Object> config = only(kafka, AdminClientConfig.configNames());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.memberId() + "-cluster-admin");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(timeout));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(timeout));
        return config;
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    private static Map<String, Object> only(Map<String, Object> kafka, Set<String> names) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (names.contains(key)) {
                config.put(key, value);
            }
        });
        return config;
    }
}
