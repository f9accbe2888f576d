package io.edgebridge.telemetry;

import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/**
 * One Kafka record the bridge will write for a telemetry message: an enveloped event or a dead letter.
 *
 * @param rule the matched rule's name, or {@code none}
 * @param rejection null for a forwarded event, the reason for a dead letter
 * @param userPropertiesLeftOut MQTT 5 user properties not forwarded (not allowed by the rule, or over its caps)
 * @param timestamp the record's Kafka timestamp, the event time a transform read; null: the time it is written
 */
public record KafkaRecordPlan(
        String topic,
        String key,
        byte[] value,
        Headers headers,
        String rule,
        Rejection rejection,
        int userPropertiesLeftOut,
        Instant timestamp)
        implements Routing {

    public KafkaRecordPlan(String topic, String key, byte[] value, Headers headers, String rule, Rejection rejection) {
        this(topic, key, value, headers, rule, rejection, 0, null);
    }

    public boolean isDeadLetter() {
        return rejection != null;
    }
}
