package io.edgebridge.telemetry;

import org.apache.kafka.common.header.Headers;

/**
 * What the bridge will write to Kafka for one telemetry message: the enveloped event or a dead letter.
 *
 * @param rule the matched rule's name, or {@code none}
 * @param rejection null for a forwarded event, the reason for a dead letter
 */
public record KafkaRecordPlan(
        String topic, String key, byte[] value, Headers headers, String rule, Rejection rejection) {

    public boolean isDeadLetter() {
        return rejection != null;
    }
}
