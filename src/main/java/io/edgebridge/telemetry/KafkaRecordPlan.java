package io.edgebridge.telemetry;

import org.apache.kafka.common.header.Headers;

/**
 * What the bridge will write to Kafka for one telemetry message: the enveloped event or a dead letter.
 *
 * @param rule the matched rule's name, or {@code none}
 * @param rejection null for a forwarded event, the reason for a dead letter
 * @param userPropertiesLeftOut MQTT 5 user properties not forwarded (not allowed by the rule, or over its caps)
 */
public record KafkaRecordPlan(
        String topic,
        String key,
        byte[] value,
        Headers headers,
        String rule,
        Rejection rejection,
        int userPropertiesLeftOut) {

    public KafkaRecordPlan(String topic, String key, byte[] value, Headers headers, String rule, Rejection rejection) {
        this(topic, key, value, headers, rule, rejection, 0);
    }

    public boolean isDeadLetter() {
        return rejection != null;
    }
}
