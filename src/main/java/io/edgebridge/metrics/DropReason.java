package io.edgebridge.metrics;

/**
 * Why a QoS 0 telemetry message was dropped (at-most-once: the broker will not send it again); {@link #code()} is
 * the {@code reason} label of {@code edgebridge_telemetry_dropped_total}.
 */
public enum DropReason {
    /** It arrived while the in-flight window was full. */
    QOS0_WINDOW_FULL("qos0-window-full"),
    /** Kafka refused it. */
    QOS0_KAFKA_FAILURE("qos0-kafka-failure");

    private final String code;

    DropReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
