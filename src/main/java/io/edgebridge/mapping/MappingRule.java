package io.edgebridge.mapping;

import io.edgebridge.mapping.transform.Transform;

/**
 * One mapping rule: MQTT topic pattern -> Kafka topic and key, plus how the payload is checked and enveloped.
 *
 * @param qos subscription QoS requested for the pattern's filter
 * @param transform how the JSON payload becomes records (docs/transform.md); null: forwarded as received
 */
public record MappingRule(
        String name,
        TopicPattern mqttTopic,
        Template kafkaTopic,
        Template kafkaKey,
        PayloadFormat format,
        EventMode mode,
        String eventType,
        String contentType,
        int qos,
        Transform transform) {

    /** The segment every rule must have: it keys the record and looks the device up. */
    public static final String DEVICE_ID = "deviceId";

    /** How the payload is checked before it is forwarded. */
    public enum PayloadFormat {
        /** Any bytes. */
        ANY,
        /** Must parse as one JSON value. */
        JSON
    }

    /** CloudEvents content mode on Kafka. */
    public enum EventMode {
        /** Payload untouched as the record value, attributes as {@code ce_*} headers. */
        BINARY,
        /** One JSON CloudEvent as the record value. */
        STRUCTURED
    }
}
