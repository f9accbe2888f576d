package io.edgebridge.telemetry;

import io.edgebridge.mapping.transform.TransformResult;

/** Why a telemetry message went to the dead-letter topic; {@link #code()} is the header value and metric label. */
public enum Rejection {
    NO_MATCHING_RULE("no-matching-rule"),
    INVALID_TOPIC("invalid-topic"),
    INVALID_DEVICE_ID("invalid-device-id"),
    PAYLOAD_TOO_LARGE("payload-too-large"),
    UNKNOWN_DEVICE("unknown-device"),
    INVALID_JSON("invalid-json"),
    PROCESSING_ERROR("processing-error"),
    /** The rule's transform failed: the expression's error and position, or a limit it hit. */
    TRANSFORM_ERROR("transform-error"),
    /** The transform gave no object or array of objects, or more records or bytes than the rule allows. */
    INVALID_TRANSFORM_OUTPUT("invalid-transform-output"),
    /** A record's event time is missing, unreadable or out of range. */
    INVALID_EVENT_TIME("invalid-event-time");

    private final String code;

    Rejection(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The rejection a failed transform leads to. */
    static Rejection of(TransformResult.Reason reason) {
        return switch (reason) {
            case TRANSFORM_ERROR -> TRANSFORM_ERROR;
            case INVALID_TRANSFORM_OUTPUT -> INVALID_TRANSFORM_OUTPUT;
            case INVALID_EVENT_TIME -> INVALID_EVENT_TIME;
        };
    }

    /** Only a rule with a transform can be rejected for these. */
    boolean needsTransform() {
        return this == TRANSFORM_ERROR || this == INVALID_TRANSFORM_OUTPUT || this == INVALID_EVENT_TIME;
    }
}
