package io.edgebridge.mqtt.client;

/**
 * A PUBLISH the broker sent. A QoS 1 or 2 message stays unacknowledged until
 * {@link MqttClientConnection#acknowledge} is called for it (PUBACK for QoS 1, PUBREC for QoS 2).
 */
public record ReceivedPublish(
        String topic,
        byte[] payload,
        int qos,
        boolean retain,
        boolean duplicate,
        int packetId,
        PublishProperties properties) {}
