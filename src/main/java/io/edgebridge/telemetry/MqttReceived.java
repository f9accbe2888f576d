package io.edgebridge.telemetry;

import java.util.List;
import java.util.Map;

/**
 * Message metadata: where and how a telemetry message arrived. The MQTT connector attaches it; it lives here, with
 * its reader, so telemetry needs nothing of the connector.
 *
 * @param receivedAtMillis wall-clock receive time
 * @param receivedAtNanos {@link System#nanoTime()} at receipt, for latency
 * @param properties the PUBLISH's MQTT 5 properties ({@link Properties#NONE} with MQTT 3.1.1)
 */
public record MqttReceived(
        String topic,
        int qos,
        boolean retained,
        boolean duplicate,
        long receivedAtMillis,
        long receivedAtNanos,
        Properties properties) {

    /**
     * The MQTT 5 properties the bridge carries into the event; each may be absent (null, or no user properties).
     *
     * @param payloadUtf8 the payload format indicator: true for UTF-8 text, false for unspecified bytes
     * @param messageExpirySeconds what was left of the message's lifetime when the broker sent it
     * @param userProperties in the device's order; names may repeat
     */
    public record Properties(
            String contentType,
            Boolean payloadUtf8,
            Long messageExpirySeconds,
            String responseTopic,
            byte[] correlationData,
            List<Map.Entry<String, String>> userProperties) {

        public static final Properties NONE = new Properties(null, null, null, null, null, List.of());

        public Properties {
            userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
        }
    }
}
