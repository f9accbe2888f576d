package io.edgebridge.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.KafkaHeaders;
import io.edgebridge.config.UnknownDevicePolicy;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.MappingRule.PayloadFormat;
import io.edgebridge.mapping.TopicLevelCheck;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.mapping.TopicMatch;
import io.edgebridge.mapping.transform.TransformResult;
import io.edgebridge.mapping.transform.TransformResult.Failed;
import io.edgebridge.mapping.transform.TransformResult.Filtered;
import io.edgebridge.mapping.transform.TransformResult.OutputRecord;
import io.edgebridge.mapping.transform.TransformResult.Records;
import io.edgebridge.registry.DeviceDirectory;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Decides, for each received message, the Kafka record to write: the enveloped event, or a dead letter that carries
 * the original payload and says why; under a rule with a transform, the records the transform makes of it, or
 * nothing. Pure: no I/O, no framework; the same input and rules always yield the same decision.
 */
public final class TelemetryRouter {

    public static final String NO_RULE = "none";

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREES = new ObjectMapper();

    private final Supplier<TopicMapper> rules;
    private final Supplier<DeviceDirectory> directory;
    private final UnknownDevicePolicy unknownDevices;
    private final int maxPayloadBytes;
    private final int maxDeviceIdLength;
    private final String deadLetterTopic;
    private final EventIds ids = new EventIds();

    /** A router over fixed rules. */
    public TelemetryRouter(
            TopicMapper mapper,
            Supplier<DeviceDirectory> directory,
            UnknownDevicePolicy unknownDevices,
            int maxPayloadBytes,
            int maxDeviceIdLength,
            String deadLetterTopic) {
        this(() -> mapper, directory, unknownDevices, maxPayloadBytes, maxDeviceIdLength, deadLetterTopic);
    }

    /** A router over the rules in force when each message is routed ({@code rules} may change: a reload). */
    public TelemetryRouter(
            Supplier<TopicMapper> rules,
            Supplier<DeviceDirectory> directory,
            UnknownDevicePolicy unknownDevices,
            int maxPayloadBytes,
            int maxDeviceIdLength,
            String deadLetterTopic) {
        this.rules = rules;
        this.maxDeviceIdLength = maxDeviceIdLength;
        this.directory = directory;
        this.unknownDevices = unknownDevices;
        this.maxPayloadBytes = maxPayloadBytes;
        this.deadLetterTopic = deadLetterTopic;
    }

    public Routing route(Telemetry message) {
        TopicMatch match = rules.get().match(message.topic());
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
        if (match.rule().transform() != null) {
            return transform(message, match, device, kafkaTopic);
        }
        if (match.rule().format() == PayloadFormat.JSON) {
            String problem = jsonProblem(message.payload());
            if (problem != null) {
                return deadLetter(message, match, Rejection.INVALID_JSON, problem);
            }
        }
        return CloudEventEnvelope.build(ids.next(), message, match, device, kafkaTopic);
    }

    /**
     * The rule's transform on the payload, read once as a tree: its records enveloped in order, filtered, or the
     * message dead-lettered with the transform's reason.
     */
    private Routing transform(Telemetry message, TopicMatch match, Map<String, String> device, String kafkaTopic) {
        JsonNode payload;
        try {
            payload = readTree(message.payload());
        } catch (InvalidJsonException e) {
            return deadLetter(message, match, Rejection.INVALID_JSON, e.getMessage());
        }
        MappingRule rule = match.rule();
        // A segment wins over a registry attribute of the same name (docs/transform.md, "Variables").
        TransformResult result = rule.transform().apply(payload, name -> {
            String segment = match.segment(name);
            return segment != null || device == null ? segment : device.get(name);
        });
        if (result instanceof Records records) {
            List<KafkaRecordPlan> plans = new ArrayList<>(records.records().size());
            for (OutputRecord record : records.records()) {
                plans.add(CloudEventEnvelope.transformed(ids.next(), message, match, device, kafkaTopic, record));
            }
            return new Transformed(rule.name(), plans, null, result.nanos());
        }
        if (result instanceof Filtered filtered) {
            return new Transformed(rule.name(), List.of(), filtered.cause(), result.nanos());
        }
        Failed failed = (Failed) result;
        return new Transformed(
                rule.name(),
                List.of(deadLetter(message, match, Rejection.of(failed.reason()), failed.detail())),
                null,
                result.nanos());
    }

    private static boolean hasWildcardOrNul(String topic) {
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == 0) {
                return true;
            }
        }
        return false;
    }

    /** A dead letter for a message whose routing failed unexpectedly. */
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
            return notJson(e);
        }
    }

    /** {@code payload} as one JSON tree; {@link InvalidJsonException} says what is wrong, as {@link #jsonProblem}. */
    static JsonNode readTree(byte[] payload) {
        try (JsonParser parser = TREES.createParser(payload)) {
            if (parser.nextToken() == null) {
                throw new InvalidJsonException("payload is empty, expected JSON");
            }
            JsonNode tree = TREES.readTree(parser);
            if (parser.nextToken() != null) {
                throw new InvalidJsonException("payload has content after the first JSON value at offset "
                        + parser.currentTokenLocation().getByteOffset());
            }
            return tree;
        } catch (IOException e) {
            throw new InvalidJsonException(notJson(e));
        }
    }

    private static String notJson(IOException e) {
        String detail = e.getMessage();
        int newline = detail == null ? -1 : detail.indexOf('\n');
        return "payload is not valid JSON: " + (newline < 0 ? detail : detail.substring(0, newline));
    }

    /** A payload that is not exactly one JSON value. */
    static final class InvalidJsonException extends RuntimeException {
        InvalidJsonException(String problem) {
            super(problem, null, false, false);
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
