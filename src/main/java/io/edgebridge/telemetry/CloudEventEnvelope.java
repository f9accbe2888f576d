package io.edgebridge.telemetry;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.edgebridge.KafkaHeaders;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.MappingRule.EventMode;
import io.edgebridge.mapping.MappingRule.PayloadFormat;
import io.edgebridge.mapping.PropertyForwarding.Selection;
import io.edgebridge.mapping.Template;
import io.edgebridge.mapping.TopicMatch;
import io.edgebridge.mapping.transform.TransformResult.OutputRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the CloudEvents 1.0 Kafka record for a matched message (Kafka protocol binding).
 * Binary mode leaves the payload bytes untouched and puts attributes in {@code ce_*} headers, with
 * {@code datacontenttype} in {@code content-type} as the binding requires. Structured mode writes one JSON event.
 * The rule's own Kafka headers, if any, follow.
 */
public final class CloudEventEnvelope {

    public static final String SPEC_VERSION = "1.0";
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    /** CloudEvents extensions for the MQTT 5 properties of the PUBLISH (names: [a-z0-9], at most 20). */
    public static final String PAYLOAD_FORMAT = "mqttpayloadformat";

    public static final String MESSAGE_EXPIRY = "mqttmessageexpiry";
    public static final String RESPONSE_TOPIC = "mqttresponsetopic";
    public static final String CORRELATION_DATA = "mqttcorrelationdata";

    private static final JsonFactory JSON = new JsonFactory();

    private CloudEventEnvelope() {}

    /** The event's attributes, in the order they are written. */
    record Attributes(
            String id,
            String source,
            String type,
            String subject,
            String time,
            String contentType,
            Map<String, String> extensions) {}

    static Attributes attributes(
            String id, Telemetry message, TopicMatch match, Map<String, String> device, String time, String type) {
        MappingRule rule = match.rule();
        Map<String, String> extensions = new LinkedHashMap<>();
        extensions.put("mqttqos", Integer.toString(message.qos()));
        extensions.put("mqttretained", Boolean.toString(message.retained()));
        extensions.put("mqttdup", Boolean.toString(message.duplicate()));
        List<String> segments = rule.mqttTopic().segmentNames();
        for (String segment : segments) {
            extensions.put(segment.toLowerCase(Locale.ROOT), match.segment(segment));
        }
        MqttReceived.Properties mqtt5 = message.properties();
        if (mqtt5.payloadUtf8() != null) {
            extensions.put(PAYLOAD_FORMAT, mqtt5.payloadUtf8() ? "utf-8" : "bytes");
        }
        if (mqtt5.messageExpirySeconds() != null) {
            extensions.put(MESSAGE_EXPIRY, Long.toString(mqtt5.messageExpirySeconds()));
        }
        if (mqtt5.responseTopic() != null) {
            extensions.put(RESPONSE_TOPIC, mqtt5.responseTopic());
        }
        if (mqtt5.correlationData() != null) {
            extensions.put(CORRELATION_DATA, Base64.getEncoder().encodeToString(mqtt5.correlationData()));
        }
        if (device != null) {
            extensions.putAll(device);
        }
        return new Attributes(id, message.topic(), rule.eventType(), match.deviceId(), time, type, extensions);
    }

    /** The event for a message forwarded as received, in the rule's mode. */
    static KafkaRecordPlan build(
            String id, Telemetry message, TopicMatch match, Map<String, String> device, String kafkaTopic) {
        String contentType = message.properties().contentType();
        return build(
                id,
                message,
                match,
                device,
                kafkaTopic,
                message.payload(),
                null,
                contentType != null ? contentType : match.rule().contentType());
    }

    /**
     * The event for one record a rule's transform made of a message: the record's JSON is the data, its event time
     * (when the rule reads one) the event's {@code time} and the Kafka timestamp. The device's MQTT 5 content type
     * described the payload, not this record: the rule's content type applies.
     */
    static KafkaRecordPlan transformed(
            String id,
            Telemetry message,
            TopicMatch match,
            Map<String, String> device,
            String kafkaTopic,
            OutputRecord record) {
        return build(
                id,
                message,
                match,
                device,
                kafkaTopic,
                record.json(),
                record.eventTime(),
                match.rule().contentType());
    }

    private static KafkaRecordPlan build(
            String id,
            Telemetry message,
            TopicMatch match,
            Map<String, String> device,
            String kafkaTopic,
            byte[] data,
            Instant eventTime,
            String contentType) {
        Instant time = eventTime != null ? eventTime : Instant.ofEpochMilli(message.receivedAtMillis());
        Attributes attributes = attributes(id, message, match, device, time.toString(), contentType);
        MappingRule rule = match.rule();
        RecordHeaders headers = new RecordHeaders();
        byte[] value;
        if (rule.mode() == EventMode.BINARY) {
            header(headers, KafkaHeaders.CLOUDEVENTS_PREFIX + "specversion", SPEC_VERSION);
            header(headers, KafkaHeaders.CLOUDEVENTS_PREFIX + "id", attributes.id());
            header(headers, KafkaHeaders.CLOUDEVENTS_PREFIX + "source", attributes.source());
            header(headers, KafkaHeaders.CLOUDEVENTS_PREFIX + "type", attributes.type());
            header(headers, KafkaHeaders.CLOUDEVENTS_PREFIX + "subject", attributes.subject());
            header(headers, KafkaHeaders.CLOUDEVENTS_PREFIX + "time", attributes.time());
            header(headers, KafkaHeaders.CONTENT_TYPE, attributes.contentType());
            for (Map.Entry<String, String> extension : attributes.extensions().entrySet()) {
                header(headers, KafkaHeaders.CLOUDEVENTS_PREFIX + extension.getKey(), extension.getValue());
            }
            value = data;
        } else {
            header(headers, KafkaHeaders.CONTENT_TYPE, STRUCTURED_CONTENT_TYPE);
            value = structured(attributes, data, rule.format() == PayloadFormat.JSON);
        }
        for (Map.Entry<String, Template> header : rule.kafkaHeaders().entrySet()) {
            header(headers, header.getKey(), header.getValue().render(match.levels()));
        }
        int leftOut = 0;
        if (rule.userProperties().forwardsAny()) {
            Selection selection =
                    rule.userProperties().select(message.properties().userProperties());
            selection.headers().forEach(h -> header(headers, h.getKey(), h.getValue()));
            leftOut = selection.leftOut();
        } else {
            leftOut = message.properties().userProperties().size();
        }
        return new KafkaRecordPlan(kafkaTopic, match.kafkaKey(), value, headers, rule.name(), null, leftOut, eventTime);
    }

    private static byte[] structured(Attributes attributes, byte[] payload, boolean jsonPayload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 384);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("specversion", SPEC_VERSION);
            json.writeStringField("id", attributes.id());
            json.writeStringField("source", attributes.source());
            json.writeStringField("type", attributes.type());
            json.writeStringField("subject", attributes.subject());
            json.writeStringField("time", attributes.time());
            json.writeStringField("datacontenttype", attributes.contentType());
            for (Map.Entry<String, String> extension : attributes.extensions().entrySet()) {
                json.writeStringField(extension.getKey(), extension.getValue());
            }
            if (jsonPayload) {
                // Already validated as one JSON value: embed it without parsing it again.
                json.writeFieldName("data");
                json.writeRawValue(new String(payload, StandardCharsets.UTF_8));
            } else {
                json.writeFieldName("data_base64");
                json.writeBinary(payload);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void header(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
