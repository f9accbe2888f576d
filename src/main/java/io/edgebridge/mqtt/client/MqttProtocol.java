package io.edgebridge.mqtt.client;

import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.Arrays;
import java.util.Optional;

/** The MQTT protocol version a connection speaks. */
public enum MqttProtocol {
    V3_1_1("3.1.1", MqttVersion.MQTT_3_1_1),
    V5("5", MqttVersion.MQTT_5);

    private final String label;
    private final MqttVersion version;

    MqttProtocol(String label, MqttVersion version) {
        this.label = label;
        this.version = version;
    }

    /** How configuration names it: {@code 5} or {@code 3.1.1}. */
    public String label() {
        return label;
    }

    MqttVersion version() {
        return version;
    }

    public static Optional<MqttProtocol> of(String label) {
        return Arrays.stream(values()).filter(p -> p.label.equals(label)).findFirst();
    }

    @Override
    public String toString() {
        return label;
    }
}
