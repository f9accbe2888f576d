package io.edgebridge.mapping;

/** A topic matched by a rule, with its level values. */
public record TopicMatch(MappingRule rule, String[] levels) {

    public String segment(String name) {
        int index = rule.mqttTopic().indexOf(name);
        return index < 0 ? null : levels[index];
    }

    public String deviceId() {
        return levels[rule.mqttTopic().indexOf(MappingRule.DEVICE_ID)];
    }

    public String kafkaTopic() {
        return rule.kafkaTopic().render(levels);
    }

    public String kafkaKey() {
        return rule.kafkaKey().render(levels);
    }
}
