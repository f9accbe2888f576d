package io.edgebridge.mapping;

import io.edgebridge.mapping.transform.Transform;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One mapping rule: MQTT topic pattern -> Kafka topic and key, plus how the payload is checked and enveloped.
 *
 * @param qos subscription QoS requested for the pattern's filter
 * @param kafkaHeaders more Kafka headers on each forwarded event, name -> template over the pattern's segments, in
 *     order; empty for the rules file's rules
 * @param transform how the JSON payload becomes records (docs/transform.md); null: forwarded as received
 * @param userProperties which MQTT 5 user properties become Kafka headers (none without a block in the rule)
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
        Map<String, Template> kafkaHeaders,
        Transform transform,
        PropertyForwarding userProperties) {

    /** The segment every rule must have: it keys the record and looks the device up. */
    public static final String DEVICE_ID = "deviceId";

    public MappingRule {
        kafkaHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(kafkaHeaders));
    }

    /** A rule without headers of its own and without a transform. */
    public MappingRule(
            String name,
            TopicPattern mqttTopic,
            Template kafkaTopic,
            Template kafkaKey,
            PayloadFormat format,
            EventMode mode,
            String eventType,
            String contentType,
            int qos) {
        this(
                name,
                mqttTopic,
                kafkaTopic,
                kafkaKey,
                format,
                mode,
                eventType,
                contentType,
                qos,
                Map.of(),
                null,
                PropertyForwarding.NONE);
    }

    /** This rule with {@code headers} (templates over its pattern's segments) on each forwarded event. */
    public MappingRule withKafkaHeaders(Map<String, Template> headers) {
        return new MappingRule(
                name,
                mqttTopic,
                kafkaTopic,
                kafkaKey,
                format,
                mode,
                eventType,
                contentType,
                qos,
                headers,
                transform,
                userProperties);
    }

    /** This rule, forwarding MQTT 5 user properties as {@code forwarding} says. */
    public MappingRule withUserProperties(PropertyForwarding forwarding) {
        return new MappingRule(
                name,
                mqttTopic,
                kafkaTopic,
                kafkaKey,
                format,
                mode,
                eventType,
                contentType,
                qos,
                kafkaHeaders,
                transform,
                forwarding);
    }

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
