package io.edgebridge.telemetry;

/**
 * Message metadata: where and how a telemetry message arrived. The MQTT connector attaches it; it lives here, with
 * its reader, so telemetry needs nothing of the connector.
 *
 * @param receivedAtMillis wall-clock receive time
 * @param receivedAtNanos {@link System#nanoTime()} at receipt, for latency
 */
public record MqttReceived(
        String topic, int qos, boolean retained, boolean duplicate, long receivedAtMillis, long receivedAtNanos) {}
