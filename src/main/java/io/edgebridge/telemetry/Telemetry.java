package io.edgebridge.telemetry;

/**
 * One MQTT PUBLISH as the bridge received it.
 *
 * @param receivedAtMillis wall-clock receive time, the CloudEvent {@code time}
 * @param properties its MQTT 5 properties ({@link MqttReceived.Properties#NONE} with MQTT 3.1.1)
 */
public record Telemetry(
        String topic,
        byte[] payload,
        int qos,
        boolean retained,
        boolean duplicate,
        long receivedAtMillis,
        MqttReceived.Properties properties) {

    /** A message without MQTT 5 properties. */
    public Telemetry(
            String topic, byte[] payload, int qos, boolean retained, boolean duplicate, long receivedAtMillis) {
        this(topic, payload, qos, retained, duplicate, receivedAtMillis, MqttReceived.Properties.NONE);
    }
}
