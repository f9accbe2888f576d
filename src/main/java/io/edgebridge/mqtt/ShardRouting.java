package io.edgebridge.mqtt;

import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.mapping.TopicMatch;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Utils;

/**
 * Which shard forwards a message in {@code hash} mode: the one its device id hashes to (murmur2, as Kafka's default
 * partitioner, modulo the shard count), so exactly one shard forwards each device's messages, in order, whoever
 * owns the shards. A topic no rule matches (a dead letter to be) is hashed by the topic itself. Pure.
 */
final class ShardRouting {

    private final Supplier<TopicMapper> rules;
    private final int shard;
    private final int shards;

    /** @param rules the rules in force (they may be reloaded) */
    ShardRouting(Supplier<TopicMapper> rules, int shard, int shards) {
        this.rules = rules;
        this.shard = shard;
        this.shards = shards;
    }

    boolean owns(String topic) {
        return shardOf(rules.get(), topic, shards) == shard;
    }

    static int shardOf(TopicMapper mapper, String topic, int shards) {
        TopicMatch match = mapper.match(topic);
        String key = match == null || match.deviceId() == null ? topic : match.deviceId();
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % shards;
    }
}
