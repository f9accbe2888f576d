package io.edgebridge.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.edgebridge.KafkaHeaders;
import io.edgebridge.config.UnknownDevicePolicy;
import io.edgebridge.mapping.MappingRule.PayloadFormat;
import io.edgebridge.mapping.TopicLevelCheck;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.mapping.TopicMatch;
import io.edgebridge.registry.DeviceDirectory;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Decides, for each received message, the Kafka record to write: the enveloped event, or a dead letter that carries
 * the original payload and says why. Pure: no I/O, no framework; the same input always yields the same decision.
 */
public final class TelemetryRouter {

    public static final String NO_RULE = "none";

    private static final JsonFactory JSON = new JsonFactory();

    private final TopicMapper mapper;
    private final Supplier<DeviceDirectory> directory;
    private final UnknownDevicePolicy unknownDevices;
    private final int maxPayloadBytes;
    private final int maxDeviceIdLength;
    private final String deadLetterTopic;
    private final EventIds ids = new EventIds();

    public TelemetryRouter(
            TopicMapper mapper,
            Supplier<DeviceDirectory> directory,
            UnknownDevicePolicy unknownDevices,
            int maxPayloadBytes,
            int maxDeviceIdLength,
            String deadLetterTopic) {
        this.mapper = mapper;
        this.maxDeviceIdLength = maxDeviceIdLength;
        this.directory = directory;
        this.unknownDevices = unknownDevices;
        this.maxPayloadBytes = maxPayloadBytes;
        this.deadLetterTopic = deadLetterTopic;
    }

    public KafkaRecordPlan route(Telemetry message) {
        TopicMatch match = mapper.match(message.topic());
        if (match == null) {
            return deadLetter(
                    message,
                    null,
                    Rejection.NO_MATCHING_RULE,
                    "no mapping rule matches the MQTT topic (or its device id level is empty)");
        }
        if (hasWildcardOrNul(message.topic())) {
            // No compliant broker forwards such a name (MQTT 3.1.1, 4.7.3); it must not become a device id.
            return deadLetter(
                    message,
                    match,
                    Rejection.INVALID_TOPIC,
                    "the MQTT topic name contains '+', '#' or NUL, which topic names may not");
        }
        // The same rule as for commands, so every device that can send can also be addressed, and no invisible
        // or control character reaches keys, headers and dashboards.
        String idProblem = TopicLevelCheck.problem(match.deviceId(), maxDeviceIdLength);
        if (idProblem != null) {
            return deadLetter(message, match, Rejection.INVALID_DEVICE_ID, "device id " + idProblem);
        }
        String kafkaTopic = match.kafkaTopic();
        if (!TopicMapper.isLegalKafkaTopic(kafkaTopic)) {
            return deadLetter(
                    message,
                    match,
                    Rejection.INVALID_TOPIC,
                    "rule '" + match.rule().name() + "' renders Kafka topic '" + kafkaTopic
                            + "', which Kafka does not allow ([a-zA-Z0-9._-], 1-249)");
        }
        if (message.payload().length > maxPayloadBytes) {
            return deadLetter(
                    message,
                    match,
                    Rejection.PAYLOAD_TOO_LARGE,
                    "payload of " + message.payload().length + " bytes exceeds bridge.telemetry.max-payload-bytes="
                            + maxPayloadBytes);
        }
        Map<String, String> device = directory.get().attributes(match.deviceId());
        if (device == null && unknownDevices == UnknownDevicePolicy.REJECT) {
            return deadLetter(
                    message,
                    match,
                    Rejection.UNKNOWN_DEVICE,
                    "device '" + match.deviceId()
                            + "' is not in the device registry and bridge.telemetry.unknown-devices=reject");
        }
        if (match.rule().format() == PayloadFormat.JSON) {
            String problem = jsonProblem(message.payload());
            if (problem != null) {
                return deadLetter(message, match, Rejection.INVALID_JSON, problem);
            }
        }
        return CloudEventEnvelope.build(ids.next(), message, match, device, kafkaTopic);
    }

    /** A dead letter for a message whose routing failed unexpectedly. */
    private static boolean hasWildcardOrNul(String topic) {
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == 0) {
                return true;
            }
        }
        return false;
    }

    public KafkaRecordPlan processingError(Telemetry message, RuntimeException error) {
        return deadLetter(
                message, null, Rejection.PROCESSING_ERROR, "the bridge failed to process the message: " + error);
    }

    /** Null when {@code payload} is exactly one well-formed JSON value, else what is wrong with it. */
    static String jsonProblem(byte[] payload) {
        try (JsonParser parser = JSON.createParser(payload)) {
            if (parser.nextToken() == null) {
                return "payload is empty, expected JSON";
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return "payload has content after the first JSON value at offset "
                        + parser.currentTokenLocation().getByteOffset();
            }
            return null;
        } catch (IOException e) {
            String detail = e.getMessage();
            int newline = detail == null ? -1 : detail.indexOf('\n');
            return "payload is not valid JSON: " + (newline < 0 ? detail : detail.substring(0, newline));
        }
    }

    private KafkaRecordPlan deadLetter(Telemetry message, TopicMatch match, Rejection reason, String cause) {
        RecordHeaders headers = new RecordHeaders();
        String rule = match == null ? NO_RULE : match.rule().name();
        byte[] payload = message.payload();
        boolean truncated = reason == Rejection.PAYLOAD_TOO_LARGE;
        CloudEventEnvelope.header(headers, KafkaHeaders.DEAD_LETTER_REASON, reason.code());
        CloudEventEnvelope.header(headers, KafkaHeaders.DEAD_LETTER_CAUSE, cause);
        CloudEventEnvelope.header(headers, KafkaHeaders.DEAD_LETTER_RULE, rule);
        CloudEventEnvelope.header(headers, KafkaHeaders.DEAD_LETTER_MQTT_TOPIC, message.topic());
        CloudEventEnvelope.header(headers, KafkaHeaders.DEAD_LETTER_MQTT_QOS, Integer.toString(message.qos()));
        CloudEventEnvelope.header(
                headers, KafkaHeaders.DEAD_LETTER_MQTT_RETAINED, Boolean.toString(message.retained()));
        CloudEventEnvelope.header(
                headers,
                KafkaHeaders.DEAD_LETTER_RECEIVED_AT,
                Instant.ofEpochMilli(message.receivedAtMillis()).toString());
        CloudEventEnvelope.header(headers, KafkaHeaders.DEAD_LETTER_PAYLOAD_SIZE, Integer.toString(payload.length));
        // Kafka refuses records over its size limit, so an oversized payload is kept only up to the configured cap.
        CloudEventEnvelope.header(headers, KafkaHeaders.DEAD_LETTER_PAYLOAD_TRUNCATED, Boolean.toString(truncated));
        byte[] value = truncated ? Arrays.copyOf(payload, maxPayloadBytes) : payload;
        String key = match == null ? null : match.deviceId();
        return new KafkaRecordPlan(deadLetterTopic, key, value, headers, rule, reason);
    }
}
