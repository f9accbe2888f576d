package io.edgebridge.mapping;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finds the first rule whose pattern matches an MQTT topic. Pure and thread-safe. */
public final class TopicMapper {

    private final List<MappingRule> rules;
    private final int[] deviceIdIndexes;

    public TopicMapper(List<MappingRule> rules) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("at least one mapping rule is needed");
        }
        this.rules = List.copyOf(rules);
        this.deviceIdIndexes = rules.stream()
                .mapToInt(r -> r.mqttTopic().indexOf(MappingRule.DEVICE_ID))
                .toArray();
    }

    /** The first matching rule with the topic's levels, or null when no rule matches. */
    public TopicMatch match(String topic) {
        String[] levels = TopicLevels.split(topic);
        for (int i = 0; i < rules.size(); i++) {
            MappingRule rule = rules.get(i);
            if (rule.mqttTopic().matches(levels) && !levels[deviceIdIndexes[i]].isEmpty()) {
                return new TopicMatch(rule, levels);
            }
        }
        return null;
    }

    public List<MappingRule> rules() {
        return rules;
    }

    /** Subscription filter -> QoS, one entry per distinct filter (the highest QoS asked for it). */
    public Map<String, Integer> subscriptions() {
        Map<String, Integer> filters = new LinkedHashMap<>();
        for (MappingRule rule : rules) {
            filters.merge(rule.mqttTopic().subscriptionFilter(), rule.qos(), Math::max);
        }
        return Collections.unmodifiableMap(filters);
    }

    /** Kafka's rule for topic names: 1-249 of [a-zA-Z0-9._-], and not "." or "..". */
    public static boolean isLegalKafkaTopic(String topic) {
        int length = topic.length();
        if (length == 0 || length > 249 || topic.equals(".") || topic.equals("..")) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (!isLegalKafkaTopicChar(topic.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isLegalKafkaTopicChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == '-';
    }
}
