package io.edgebridge.mqtt.client;

/**
 * How the broker answered a publish: PUBACK for QoS 1, PUBCOMP for QoS 2 (or a refusing PUBREC), nothing for QoS 0.
 * MQTT 5 reason codes of 0x80 and above are refusals (0x87 not authorized, 0x97 quota exceeded, ...); MQTT 3.1.1
 * has none, so every answer there is {@code 0}.
 */
public record PublishResult(int reasonCode, String reasonString) {

    public static final PublishResult ACCEPTED = new PublishResult(0, null);

    public boolean accepted() {
        return reasonCode < 0x80;
    }
}
