package io.edgebridge.mqtt;

import io.edgebridge.mqtt.client.MqttClientConnection;
import io.edgebridge.mqtt.client.ReceivedPublish;
import io.edgebridge.telemetry.MqttReceived;
import java.util.function.Predicate;

/**
 * A message as the telemetry session received it: on which connection (to acknowledge it there), when and how it
 * came, and what it is for.
 */
record Arrival(MqttClientConnection via, ReceivedPublish mqtt, MqttReceived origin, Purpose purpose) {

    /** Taken on receipt ({@link ReceivedMetadata}); {@code forwards} tells the topics this session forwards. */
    static Arrival of(MqttClientConnection via, ReceivedPublish mqtt, DeliveryProbe probe, Predicate<String> forwards) {
        MqttReceived origin = ReceivedMetadata.of(mqtt);
        Purpose purpose = probe.isProbe(mqtt.topic())
                ? Purpose.PROBE
                : forwards.test(mqtt.topic()) ? Purpose.FORWARD : Purpose.OTHER_SHARD;
        return new Arrival(via, mqtt, origin, purpose);
    }

    /** What a received message is for. */
    enum Purpose {
        /** Telemetry (or a command response) this session forwards to Kafka. */
        FORWARD,
        /** Another shard's device: acknowledged in its turn, forwarded by the shard that owns it. */
        OTHER_SHARD,
        /** The session's own delivery probe. */
        PROBE
    }
}
