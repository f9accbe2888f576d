package io.edgebridge.command;

import java.util.Optional;

/** The life of a command, as status events on Kafka and in {@code GET /api/v1/commands/{id}}. */
public enum CommandStatus {
    /** The bridge took the command from Kafka (or the REST API wrote it there). */
    ACCEPTED("accepted", false),
    /** The MQTT broker acknowledged the publish (QoS 1/2) or it was written (QoS 0). */
    PUBLISHED("published", false),
    /** Its deadline passed before it was published; it never reached the device. */
    EXPIRED("expired", true),
    /** It cannot be executed (malformed, unsafe id, too large); the record is also dead-lettered. */
    REJECTED("rejected", true),
    /** The device answered on the response topic. */
    RESPONDED("responded", true),
    /** Published, but no response came before the command's deadline. */
    TIMED_OUT("timed-out", true);

    private final String code;
    private final boolean terminal;

    CommandStatus(String code, boolean terminal) {
        this.code = code;
        this.terminal = terminal;
    }

    public String code() {
        return code;
    }

    public boolean isTerminal() {
        return terminal;
    }

    /** The status with this code, as written on the status topic; empty for a code this bridge does not know. */
    public static Optional<CommandStatus> ofCode(String code) {
        for (CommandStatus status : values()) {
            if (status.code.equals(code)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
