package io.edgebridge.command;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.mapping.TopicLevelCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads one record of the commands topic: key = device id, value = command JSON. Pure: the same record always gives
 * the same answer, so a replayed record keeps its correlation id and deadline.
 */
public final class CommandParser {

    public static final Set<String> FIELDS =
            Set.of("name", "payload", "payloadBase64", "correlationId", "expiresAt", "ttlSeconds", "qos", "retain");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxPayloadBytes;
    private final int maxIdLength;
    private final Duration defaultTtl;
    private final Duration maxTtl;

    public CommandParser(int maxPayloadBytes, int maxIdLength, Duration defaultTtl, Duration maxTtl) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxIdLength = maxIdLength;
        this.defaultTtl = defaultTtl;
        this.maxTtl = maxTtl;
    }

    /** What a record turned out to be. */
    public sealed interface Result permits Parsed, Refused {}

    public record Parsed(Command command) implements Result {}

    /** A record that cannot be executed; the ids are those that could be read (else null). */
    public record Refused(CommandRejection reason, String detail, String correlationId, String deviceId, String name)
            implements Result {

        public StatusEvent statusEvent(Instant at) {
            return StatusEvent.rejected(reason, detail, correlationId, deviceId, name, at);
        }
    }

    /**
     * @param recordTime the record's timestamp: {@code ttlSeconds} counts from it, not from when it is read
     * @param fallbackCorrelationId used when the command names none (derive it from the record's position)
     */
    public Result parse(String key, byte[] value, Instant recordTime, String fallbackCorrelationId) {
        String deviceProblem = TopicLevelCheck.problem(key, maxIdLength);
        String deviceId = deviceProblem == null ? key : null;
        JsonNode root;
        try {
            root = value == null ? null : JSON.readTree(value);
        } catch (JacksonException e) {
            return new Refused(
                    CommandRejection.INVALID_JSON,
                    "the record value is not JSON: " + e.getOriginalMessage(),
                    fallbackCorrelationId,
                    deviceId,
                    null);
        } catch (IOException e) {
            return new Refused(
                    CommandRejection.INVALID_JSON,
                    "the record value cannot be read: " + e.getMessage(),
                    fallbackCorrelationId,
                    deviceId,
                    null);
        }
        if (root == null || !root.isObject()) {
            return new Refused(
                    CommandRejection.INVALID_JSON,
                    "the record value must be a JSON object",
                    fallbackCorrelationId,
                    deviceId,
                    null);
        }
        String correlationId = fallbackCorrelationId;
        JsonNode idNode = root.get("correlationId");
        if (idNode != null && !idNode.isNull()) {
            String problem =
                    idNode.isTextual() ? TopicLevelCheck.problem(idNode.textValue(), maxIdLength) : "must be a string";
            if (problem != null) {
                return new Refused(
                        CommandRejection.INVALID_CORRELATION_ID,
                        "correlationId " + problem,
                        fallbackCorrelationId,
                        deviceId,
                        null);
            }
            correlationId = idNode.textValue();
        }
        JsonNode nameNode = root.get("name");
        String name = nameNode != null && nameNode.isTextual() ? nameNode.textValue() : null;
        String nameProblem =
                name == null ? "is required and must be a string" : TopicLevelCheck.problem(name, maxIdLength);
        if (nameProblem != null) {
            return new Refused(CommandRejection.INVALID_NAME, "name " + nameProblem, correlationId, deviceId, null);
        }
        if (deviceProblem != null) {
            return new Refused(
                    CommandRejection.INVALID_DEVICE_ID,
                    "the record key (device id) " + deviceProblem,
                    correlationId,
                    null,
                    name);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                return new Refused(
                        CommandRejection.INVALID_FIELD,
                        "unknown field '" + field + "'; known: "
                                + FIELDS.stream().sorted().toList(),
                        correlationId,
                        deviceId,
                        name);
            }
        }
        Object qos = integer(root.get("qos"), 1);
        if (!(qos instanceof Integer q) || q < 0 || q > 2) {
            return new Refused(CommandRejection.INVALID_QOS, "qos must be 0, 1 or 2", correlationId, deviceId, name);
        }
        JsonNode retainNode = root.get("retain");
        if (retainNode != null && !retainNode.isNull() && !retainNode.isBoolean()) {
            return new Refused(
                    CommandRejection.INVALID_FIELD, "retain must be true or false", correlationId, deviceId, name);
        }
        boolean retain = retainNode != null && retainNode.booleanValue();
        Object expiry = expiresAt(root, recordTime);
        if (expiry instanceof String problem) {
            return new Refused(CommandRejection.INVALID_EXPIRY, problem, correlationId, deviceId, name);
        }
        Object payload = payload(root);
        if (payload instanceof String problem) {
            return new Refused(CommandRejection.INVALID_PAYLOAD, problem, correlationId, deviceId, name);
        }
        byte[] bytes = (byte[]) payload;
        if (bytes.length > maxPayloadBytes) {
            return new Refused(
                    CommandRejection.PAYLOAD_TOO_LARGE,
                    "the payload has " + bytes.length + " bytes; the limit is " + maxPayloadBytes
                            + " (bridge.commands.max-payload-bytes)",
                    correlationId,
                    deviceId,
                    name);
        }
        return new Parsed(new Command(correlationId, deviceId, name, bytes, q, retain, (Instant) expiry));
    }

    /** The instant, or a String saying what is wrong. */
    private Object expiresAt(JsonNode root, Instant recordTime) {
        JsonNode at = root.get("expiresAt");
        JsonNode ttl = root.get("ttlSeconds");
        boolean hasAt = at != null && !at.isNull();
        boolean hasTtl = ttl != null && !ttl.isNull();
        Instant latest = recordTime.plus(maxTtl);
        if (hasAt && hasTtl) {
            return "give either expiresAt or ttlSeconds, not both";
        }
        if (hasAt) {
            if (!at.isTextual()) {
                return "expiresAt must be an ISO-8601 instant such as 2026-01-01T00:00:00Z";
            }
            try {
                Instant instant = Instant.parse(at.textValue());
                return instant.isAfter(latest)
                        ? "expiresAt is more than bridge.commands.max-ttl=" + maxTtl + " after the record's timestamp"
                        : instant;
            } catch (DateTimeParseException e) {
                return "expiresAt must be an ISO-8601 instant such as 2026-01-01T00:00:00Z";
            }
        }
        if (hasTtl) {
            Object seconds = integer(ttl, 0);
            if (!(seconds instanceof Integer s) || s <= 0) {
                return "ttlSeconds must be a positive whole number";
            }
            if (Duration.ofSeconds(s).compareTo(maxTtl) > 0) {
                return "ttlSeconds exceeds bridge.commands.max-ttl=" + maxTtl;
            }
            return recordTime.plusSeconds(s);
        }
        return recordTime.plus(defaultTtl);
    }

    /** The bytes to publish, or a String saying what is wrong. */
    private static Object payload(JsonNode root) {
        JsonNode payload = root.get("payload");
        JsonNode base64 = root.get("payloadBase64");
        boolean hasPayload = payload != null && !payload.isNull();
        boolean hasBase64 = base64 != null && !base64.isNull();
        if (hasPayload && hasBase64) {
            return "give either payload or payloadBase64, not both";
        }
        if (hasBase64) {
            if (!base64.isTextual()) {
                return "payloadBase64 must be a base64 string";
            }
            try {
                return Base64.getDecoder().decode(base64.textValue());
            } catch (IllegalArgumentException e) {
                return "payloadBase64 is not valid base64: " + e.getMessage();
            }
        }
        if (!hasPayload) {
            return new byte[0];
        }
        // A string is sent as its text; any other JSON value as compact JSON.
        return payload.isTextual()
                ? payload.textValue().getBytes(StandardCharsets.UTF_8)
                : payload.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The int value, the fallback when absent, or null when it is not a whole number in int range. */
    private static Object integer(JsonNode node, int fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        return node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : null;
    }
}
