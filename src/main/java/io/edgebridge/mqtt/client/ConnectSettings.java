package io.edgebridge.mqtt.client;

/**
 * What a CONNECT says. MQTT 5 only: {@code sessionExpirySeconds}, {@code receiveMaximum} and
 * {@code maximumPacketSize} (the broker must not send more unacknowledged messages, or larger packets).
 *
 * @param username            null for none
 * @param password            null for none
 * @param cleanStart          MQTT 3.1.1's clean session; with MQTT 5 the session then also expires on disconnect
 *                            unless {@code sessionExpirySeconds} says otherwise
 * @param sessionExpirySeconds how long the broker keeps the session after a disconnect (MQTT 5; 0xFFFFFFFF: never)
 * @param will                null for none
 */
public record ConnectSettings(
        MqttProtocol protocol,
        String clientId,
        String username,
        byte[] password,
        int keepAliveSeconds,
        boolean cleanStart,
        long sessionExpirySeconds,
        int receiveMaximum,
        int maximumPacketSize,
        Will will) {

    /** The largest session expiry MQTT 5 can express: the session never expires. */
    public static final long NEVER_EXPIRES = 0xFFFFFFFFL;
}
