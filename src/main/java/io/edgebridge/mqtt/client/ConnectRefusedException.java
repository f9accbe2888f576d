package io.edgebridge.mqtt.client;

/** The broker answered CONNECT with a refusal: an MQTT 3.1.1 return code or an MQTT 5 reason code. */
public final class ConnectRefusedException extends RuntimeException {

    private final MqttProtocol protocol;
    private final int code;

    public ConnectRefusedException(MqttProtocol protocol, int code, String reasonString) {
        super("CONNACK " + String.format("0x%02X", code) + (reasonString == null ? "" : " (" + reasonString + ")"));
        this.protocol = protocol;
        this.code = code;
    }

    public MqttProtocol protocol() {
        return protocol;
    }

    /** The CONNACK return code (3.1.1) or reason code (5). */
    public int code() {
        return code;
    }
}
