package io.edgebridge.command;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Set;

/**
 * The value of a command record on the commands topic (the key is the device id): its field names, and the writer
 * for the commands the bridge writes itself (REST). {@link CommandParser} reads the same format.
 */
public final class CommandJson {

    public static final String NAME = "name";
    /** The payload as text (a string) or as JSON (any other value). */
    public static final String PAYLOAD = "payload";
    /** The payload as base64 bytes, instead of {@link #PAYLOAD}. */
    public static final String PAYLOAD_BASE64 = "payloadBase64";

    public static final String CORRELATION_ID = "correlationId";
    /** The deadline as an ISO-8601 instant, or {@link #TTL_SECONDS} from the record's timestamp. */
    public static final String EXPIRES_AT = "expiresAt";

    public static final String TTL_SECONDS = "ttlSeconds";
    public static final String QOS = "qos";
    public static final String RETAIN = "retain";

    public static final Set<String> FIELDS =
            Set.of(NAME, PAYLOAD, PAYLOAD_BASE64, CORRELATION_ID, EXPIRES_AT, TTL_SECONDS, QOS, RETAIN);

    private static final JsonFactory JSON = new JsonFactory();

    private CommandJson() {}

    /** The record value for {@code command}: every field explicit, the payload as base64 (any bytes survive). */
    public static byte[] write(Command command) {
        ByteArrayBuilder out = new ByteArrayBuilder(128 + command.payload().length * 4 / 3);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField(NAME, command.name());
            json.writeStringField(PAYLOAD_BASE64, Base64.getEncoder().encodeToString(command.payload()));
            json.writeStringField(CORRELATION_ID, command.correlationId());
            json.writeStringField(EXPIRES_AT, command.expiresAt().toString());
            json.writeNumberField(QOS, command.qos());
            json.writeBooleanField(RETAIN, command.retain());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory output: does not happen
        }
        return out.toByteArray();
    }
}
