package io.edgebridge.command;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * One status event of a command: the value written to the status topic (keyed by device) and what the REST
 * API returns for the command. {@code deviceId}, {@code name}, {@code reason} and {@code expiresAt} may be null.
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

    public static StatusEvent of(Command command, CommandStatus status, Instant at) {
        return new StatusEvent(
                command.correlationId(),
                command.deviceId(),
                command.name(),
                status,
                null,
                null,
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

    private static void writeIfSet(JsonGenerator json, String key, String value) throws IOException {
        if (value != null) {
            json.writeStringField(key, value);
        }
    }
}
