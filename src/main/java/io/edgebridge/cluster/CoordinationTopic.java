package io.edgebridge.cluster;

import static io.edgebridge.config.ConfigCheck.check;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * The coordination topic: one partition per shard (the group hands out partitions, so N partitions are N shards),
 * compacted (the latest record per shard is what matters), stamped by the broker (gaps are measured on one clock).
 * Created when absent; one with another partition count is refused: partitions never shrink, so a changed N needs a
 * topic of its own.
 */
final class CoordinationTopic {

    private static final Logger LOG = Logger.getLogger(CoordinationTopic.class);
    /** Compaction only reaches closed segments: roll hourly so the heartbeats of a week never pile up. */
    static final Map<String, String> CONFIGS = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
            TopicConfig.SEGMENT_MS_CONFIG, "3600000");

    private CoordinationTopic() {}

    /**
     * Creates the topic or checks the one there; each step waits at most {@code timeout}. Throws a
     * {@code ConfigurationException} naming {@code bridge.cluster.shards} for a topic with another partition count,
     * any other exception when Kafka did not answer.
     */
    static void ensure(Admin admin, ClusterSettings settings, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        String topic = settings.topic();
        Optional<TopicDescription> existing = describe(admin, topic, timeout);
        if (existing.isEmpty()) {
            try {
                admin.createTopics(List.of(
                                new NewTopic(topic, Optional.of(settings.shards()), Optional.empty()).configs(CONFIGS)))
                        .all()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.infof(
                        "Created the coordination topic %s (bridge.cluster.topic): %d partitions, compacted",
                        topic, settings.shards());
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                existing = describe(admin, topic, timeout); // another replica created it first
            }
        }
        int partitions = existing.map(d -> d.partitions().size()).orElse(settings.shards());
        check(
                partitions == settings.shards(),
                "bridge.cluster.shards",
                "is " + settings.shards() + " but the coordination topic " + topic + " (bridge.cluster.topic) has "
                        + partitions + " partitions; partitions never shrink, so a new N needs a new topic: set"
                        + " bridge.cluster.topic to an unused name (docs/replicas.md, changing N)");
        warnAboutConfigs(admin, topic, timeout);
    }

    private static Optional<TopicDescription> describe(Admin admin, String topic, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return Optional.of(admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A topic made by someone else still works; its gaps or its size may be off, which an operator should know. */
    private static void warnAboutConfigs(Admin admin, String topic, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource))
                .all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .get(resource);
        for (Map.Entry<String, String> wanted : CONFIGS.entrySet()) {
            ConfigEntry entry = config == null ? null : config.get(wanted.getKey());
            if (entry != null
                    && !wanted.getKey().equals(TopicConfig.SEGMENT_MS_CONFIG)
                    && !wanted.getValue().equals(entry.value())) {
                LOG.warnf(
                        "The coordination topic %s has %s=%s, not %s: %s",
                        topic,
                        wanted.getKey(),
                        entry.value(),
                        wanted.getValue(),
                        wanted.getKey().equals(TopicConfig.CLEANUP_POLICY_CONFIG)
                                ? "its ownership heartbeats are never compacted away"
                                : "unowned times are measured across the clocks of two replicas");
            }
        }
    }
}
