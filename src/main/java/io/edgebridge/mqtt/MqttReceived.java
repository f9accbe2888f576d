package io.edgebridge.mqtt;

/**
 * Message metadata: where and how a telemetry message arrived.
 *
 * @param receivedAtMillis wall-clock receive time
 * @param receivedAtNanos {@link System#nanoTime()} at receipt, for latency
 */
public record MqttReceived(
        String topic, int qos, boolean retained, boolean duplicate, long receivedAtMillis, long receivedAtNanos) {}
