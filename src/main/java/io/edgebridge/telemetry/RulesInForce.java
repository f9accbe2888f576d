package io.edgebridge.telemetry;

import io.edgebridge.mapping.TopicMapper;

/**
 * The mapping rules in force now: the startup rules until a reload of the rules file replaces them. The MQTT side asks
 * it what a shard's session subscribes to and which device a topic belongs to.
 */
public interface RulesInForce {

    TopicMapper current();
}
