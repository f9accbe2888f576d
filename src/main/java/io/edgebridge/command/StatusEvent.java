package io.edgebridge.command;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * One status event of a command: the value written to the status topic (keyed by device) and what the REST
 * API returns for the command. {@code deviceId}, {@code name}, {@code reason} and {@code expiresAt} may be null.
 * Built with the factory of its status, which sets the fields that status has.
 */
public record StatusEvent(
        String correlationId,
        String deviceId,
        String name,
        CommandStatus status,
        String reason,
        String detail,
        Instant at,
        Instant expiresAt) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPIRED_REASON = "expired";
    private static final String NO_RESPONSE_REASON = "no-response";

    /** The bridge took the command (from Kafka, or the REST API wrote it there). */
    public static StatusEvent accepted(Command command, Instant at) {
        return of(command, CommandStatus.ACCEPTED, null, null, at);
    }

    /** The MQTT broker has the command. */
    public static StatusEvent published(Command command, Instant at) {
        return of(command, CommandStatus.PUBLISHED, null, null, at);
    }

    /** The command's deadline passed before it was published; {@code detail} says where it was then. */
    public static StatusEvent expired(Command command, String detail, Instant at) {
        return of(command, CommandStatus.EXPIRED, EXPIRED_REASON, detail, at);
    }

    /** A record that cannot be executed, with the ids that could be read from it (else null). */
    public static StatusEvent rejected(
            CommandRejection reason, String detail, String correlationId, String deviceId, String name, Instant at) {
        return new StatusEvent(correlationId, deviceId, name, CommandStatus.REJECTED, reason.code(), detail, at, null);
    }

    /** The device answered; {@code expiresAt} is the command's, when the bridge still remembers it (else null). */
    public static StatusEvent responded(
            String correlationId, String deviceId, String name, Instant expiresAt, Instant at) {
        return new StatusEvent(correlationId, deviceId, name, CommandStatus.RESPONDED, null, null, at, expiresAt);
    }

    /** This published command's deadline passed without a response. */
    public StatusEvent timedOut(Instant at) {
        return new StatusEvent(
                correlationId,
                deviceId,
                name,
                CommandStatus.TIMED_OUT,
                NO_RESPONSE_REASON,
                "no response before " + expiresAt,
                at,
                expiresAt);
    }

    private static StatusEvent of(Command command, CommandStatus status, String reason, String detail, Instant at) {
        return new StatusEvent(
                command.correlationId(),
                command.deviceId(),
                command.name(),
                status,
                reason,
                detail,
                at,
                command.expiresAt());
    }

    /** The REST API's view: the same fields as the status topic's value. */
    public ObjectNode toJson() {
        try {
            return (ObjectNode) JSON.readTree(toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status topic's value, written field by field (two per command: no JSON tree on this path). */
    public byte[] toBytes() {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("correlationId", correlationId);
            writeIfSet(json, "deviceId", deviceId);
            writeIfSet(json, "name", name);
            json.writeStringField("status", status.code());
            writeIfSet(json, "reason", reason);
            writeIfSet(json, "detail", detail);
            json.writeStringField("at", at.toString());
            if (expiresAt != null) {
                json.writeStringField("expiresAt", expiresAt.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory output: does not happen
        }
        return out.toByteArray();
    }

    /**
     * A status topic value read back ({@link #toBytes} in reverse), as every replica's status view reads it.
     * {@link IllegalArgumentException} says what is missing or wrong: not JSON, no correlation id, an unknown status
     * or a time that is not ISO-8601.
     */
    public static StatusEvent parse(byte[] value) {
        JsonNode json;
        try {
            json = value == null ? null : JSON.readTree(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory input: does not happen
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String correlationId = text(json, "correlationId");
        String code = text(json, "status");
        String at = text(json, "at");
        if (correlationId == null || code == null || at == null) {
            throw new IllegalArgumentException("correlationId, status and at are required");
        }
        CommandStatus status = CommandStatus.ofCode(code)
                .orElseThrow(() -> new IllegalArgumentException("unknown status '" + code + "'"));
        try {
            String expiresAt = text(json, "expiresAt");
            return new StatusEvent(
                    correlationId,
                    text(json, "deviceId"),
                    text(json, "name"),
                    status,
                    text(json, "reason"),
                    text(json, "detail"),
                    Instant.parse(at),
                    expiresAt == null ? null : Instant.parse(expiresAt));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("at or expiresAt is not an ISO-8601 instant");
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || !node.isTextual() ? null : node.asText();
    }

    private static void writeIfSet(JsonGenerator json, String key, String value) throws IOException {
        if (value != null) {
            json.writeStringField(key, value);
        }
    }
}
