package io.edgebridge.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One status event of a command: the value written to the status topic (keyed by device) and what the REST
 * API returns for the command. {@code deviceId}, {@code name}, {@code reason} and {@code expiresAt} may be null.
 */
public record StatusEvent(String correlationId, String deviceId, String name, CommandStatus status, String reason,
        String detail, Instant at, Instant expiresAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static StatusEvent of(Command command, CommandStatus status, Instant at) {
        return new StatusEvent(command.correlationId(), command.deviceId(), command.name(), status, null, null, at,
                command.expiresAt());
    }

    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("correlationId", correlationId);
        putIfSet(node, "deviceId", deviceId);
        putIfSet(node, "name", name);
        node.put("status", status.code());
        putIfSet(node, "reason", reason);
        putIfSet(node, "detail", detail);
        node.put("at", at.toString());
        if (expiresAt != null) {
            node.put("expiresAt", expiresAt.toString());
        }
        return node;
    }

    public byte[] toBytes() {
        return toJson().toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void putIfSet(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }
}
