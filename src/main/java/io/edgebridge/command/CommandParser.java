package io.edgebridge.command;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.command.CommandCheck.Passed;
import io.edgebridge.command.CommandCheck.Refused;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;

/**
 * Reads one record of the commands topic: key = device id, value = command JSON ({@link CommandJson}), checked
 * against the {@link CommandLimits}. Pure: the same record always gives the same answer, so a replayed record keeps
 * its correlation id and deadline.
 */
public final class CommandParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandLimits limits;

    public CommandParser(CommandLimits limits) {
        this.limits = limits;
    }

    /**
     * @param recordTime the record's timestamp: {@code ttlSeconds} counts from it, not from when it is read
     * @param fallbackCorrelationId used when the command names none (derive it from the record's position)
     */
    public CommandCheck parse(String key, byte[] value, Instant recordTime, String fallbackCorrelationId) {
        String deviceProblem = limits.idProblem(key);
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
        JsonNode idNode = root.get(CommandJson.CORRELATION_ID);
        if (idNode != null && !idNode.isNull()) {
            String problem = idNode.isTextual() ? limits.idProblem(idNode.textValue()) : "must be a string";
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
        JsonNode nameNode = root.get(CommandJson.NAME);
        String name = nameNode != null && nameNode.isTextual() ? nameNode.textValue() : null;
        String nameProblem = name == null ? "is required and must be a string" : limits.idProblem(name);
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
            if (!CommandJson.FIELDS.contains(field)) {
                return new Refused(
                        CommandRejection.INVALID_FIELD,
                        "unknown field '" + field + "'; known: "
                                + CommandJson.FIELDS.stream().sorted().toList(),
                        correlationId,
                        deviceId,
                        name);
            }
        }
        Object qos = integer(root.get(CommandJson.QOS), CommandLimits.DEFAULT_QOS);
        if (!(qos instanceof Integer q) || !limits.allowsQos(q)) {
            return new Refused(CommandRejection.INVALID_QOS, CommandLimits.QOS_PROBLEM, correlationId, deviceId, name);
        }
        JsonNode retainNode = root.get(CommandJson.RETAIN);
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
        String sizeProblem = limits.payloadProblem(bytes.length);
        if (sizeProblem != null) {
            return new Refused(CommandRejection.PAYLOAD_TOO_LARGE, sizeProblem, correlationId, deviceId, name);
        }
        return new Passed(new Command(correlationId, deviceId, name, bytes, q, retain, (Instant) expiry));
    }

    /** The instant, or a String saying what is wrong. */
    private Object expiresAt(JsonNode root, Instant recordTime) {
        JsonNode at = root.get(CommandJson.EXPIRES_AT);
        JsonNode ttl = root.get(CommandJson.TTL_SECONDS);
        boolean hasAt = at != null && !at.isNull();
        boolean hasTtl = ttl != null && !ttl.isNull();
        if (hasAt && hasTtl) {
            return "give either expiresAt or ttlSeconds, not both";
        }
        if (hasAt) {
            if (!at.isTextual()) {
                return "expiresAt must be an ISO-8601 instant such as 2026-01-01T00:00:00Z";
            }
            try {
                Instant instant = Instant.parse(at.textValue());
                return limits.allowsExpiry(instant, recordTime)
                        ? instant
                        : "expiresAt is more than bridge.commands.max-ttl=" + limits.maxTtl()
                                + " after the record's timestamp";
            } catch (DateTimeParseException e) {
                return "expiresAt must be an ISO-8601 instant such as 2026-01-01T00:00:00Z";
            }
        }
        if (hasTtl) {
            Object seconds = integer(ttl, 0);
            if (!(seconds instanceof Integer s) || s <= 0) {
                return "ttlSeconds must be a positive whole number";
            }
            if (!limits.allowsTtl(Duration.ofSeconds(s))) {
                return "ttlSeconds exceeds bridge.commands.max-ttl=" + limits.maxTtl();
            }
            return recordTime.plusSeconds(s);
        }
        return recordTime.plus(limits.defaultTtl());
    }

    /** The bytes to publish, or a String saying what is wrong. */
    private static Object payload(JsonNode root) {
        JsonNode payload = root.get(CommandJson.PAYLOAD);
        JsonNode base64 = root.get(CommandJson.PAYLOAD_BASE64);
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
