package io.edgebridge.mqtt.client;

/**
 * What the broker said when it accepted the connection. The MQTT 5 limits default to MQTT's own when the broker
 * does not state them (and always with MQTT 3.1.1).
 *
 * @param keepAliveSeconds the keep-alive in effect: the broker's Server Keep Alive when it set one
 * @param receiveMaximum   QoS 1/2 publishes the broker accepts unacknowledged from this client
 * @param maximumQos       the highest QoS the broker accepts in a publish
 * @param maximumPacketSize the largest packet the broker accepts, or 0 for no limit
 */
public record ConnAck(
        boolean sessionPresent,
        int keepAliveSeconds,
        int receiveMaximum,
        int maximumQos,
        boolean retainAvailable,
        int maximumPacketSize) {}
