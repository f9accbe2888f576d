package io.edgebridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.mapping.MappingRule.EventMode;
import io.edgebridge.mapping.MappingRule.PayloadFormat;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.TopicMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Hash sharding: every device's messages are forwarded by exactly one shard, the same one every time. */
class ShardRoutingTest {

    private final TopicMapper mapper = new TopicMapper(RulesLoader.defaults());

    @Test
    void eachDeviceBelongsToExactlyOneShardAndAllShardsGetSome() {
        int shards = 3;
        List<ShardRouting> routing = IntStream.range(0, shards)
                .mapToObj(s -> new ShardRouting(() -> mapper, s, shards))
                .toList();
        Map<Integer, Integer> perShard = new HashMap<>();
        for (int d = 0; d < 3000; d++) {
            String topic = "devices/dev-" + d + "/telemetry";
            List<Integer> owners = IntStream.range(0, shards)
                    .filter(s -> routing.get(s).owns(topic))
                    .boxed()
                    .toList();
            assertEquals(1, owners.size(), topic + " owned by " + owners);
            perShard.merge(owners.get(0), 1, Integer::sum);
        }
        perShard.values().forEach(n -> assertTrue(n > 800, "spread evenly enough: " + perShard));
    }

    @Test
    void theShardDependsOnTheDeviceNotOnTheTopicOrTheReplica() {
        TopicMapper withStreams = new TopicMapper(List.of(RulesLoader.rule(
                "streams",
                "devices/{deviceId}/telemetry/{stream}",
                "t.{stream}",
                null,
                PayloadFormat.ANY,
                EventMode.BINARY,
                null,
                null,
                1)));
        int a = ShardRouting.shardOf(withStreams, "devices/pump-7/telemetry/power", 5);
        int b = ShardRouting.shardOf(withStreams, "devices/pump-7/telemetry/flow", 5);
        assertEquals(a, b, "all of a device's streams stay in one shard, in order");
        assertEquals(a, ShardRouting.shardOf(withStreams, "devices/pump-7/telemetry/power", 5), "stable");
    }

    @Test
    void aTopicNoRuleMatchesStillHasExactlyOneShard() {
        int shards = 4;
        long owners = IntStream.range(0, shards)
                .filter(s -> new ShardRouting(() -> mapper, s, shards).owns("elsewhere/x/y"))
                .count();
        assertEquals(1, owners, "its dead letter is written once");
    }
}
