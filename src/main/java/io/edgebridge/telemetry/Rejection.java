package io.edgebridge.telemetry;

/** Why a telemetry message went to the dead-letter topic; {@link #code()} is the header value and metric label. */
public enum Rejection {
    NO_MATCHING_RULE("no-matching-rule"),
    INVALID_TOPIC("invalid-topic"),
    INVALID_DEVICE_ID("invalid-device-id"),
    PAYLOAD_TOO_LARGE("payload-too-large"),
    UNKNOWN_DEVICE("unknown-device"),
    INVALID_JSON("invalid-json"),
    PROCESSING_ERROR("processing-error");

    private final String code;

    Rejection(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
