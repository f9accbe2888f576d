package io.edgebridge.telemetry;

/**
 * One MQTT PUBLISH as the bridge received it.
 *
 * @param receivedAtMillis wall-clock receive time, the CloudEvent {@code time}
 */
public record Telemetry(
        String topic, byte[] payload, int qos, boolean retained, boolean duplicate, long receivedAtMillis) {}
