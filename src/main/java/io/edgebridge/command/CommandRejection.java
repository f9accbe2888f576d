package io.edgebridge.command;

/**
 * Why a command record cannot be executed; {@link #code()} is the {@code dead-letter-reason} header and the
 * {@code reason} of its {@code rejected} status event.
 */
public enum CommandRejection {
    INVALID_JSON("invalid-json"),
    INVALID_CORRELATION_ID("invalid-correlation-id"),
    INVALID_NAME("invalid-name"),
    INVALID_DEVICE_ID("invalid-device-id"),
    INVALID_FIELD("invalid-field"),
    INVALID_QOS("invalid-qos"),
    INVALID_EXPIRY("invalid-expiry"),
    INVALID_PAYLOAD("invalid-payload"),
    PAYLOAD_TOO_LARGE("payload-too-large"),
    PROCESSING_ERROR("processing-error"),
    /** The MQTT broker refused the publish (an MQTT 5 reason code of 0x80 or above, e.g. not authorized). */
    REFUSED_BY_BROKER("refused-by-broker");

    private final String code;

    CommandRejection(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
