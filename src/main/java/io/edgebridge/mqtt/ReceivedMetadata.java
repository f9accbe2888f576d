package io.edgebridge.mqtt;

import io.edgebridge.mqtt.client.PublishProperties;
import io.edgebridge.mqtt.client.ReceivedPublish;
import io.edgebridge.telemetry.MqttReceived;
import java.util.Map;

/** What telemetry learns of a received PUBLISH: where and how it came, when, and its MQTT 5 properties. */
final class ReceivedMetadata {

    private ReceivedMetadata() {}

    /** Taken on receipt: the receive time is the event's time and the start of its latency. */
    static MqttReceived of(ReceivedPublish message) {
        return new MqttReceived(
                message.topic(),
                message.qos(),
                message.retain(),
                message.duplicate(),
                System.currentTimeMillis(),
                System.nanoTime(),
                properties(message.properties()));
    }

    static MqttReceived.Properties properties(PublishProperties p) {
        if (p.isEmpty()) {
            return MqttReceived.Properties.NONE;
        }
        return new MqttReceived.Properties(
                p.contentType(),
                p.payloadUtf8(),
                p.messageExpirySeconds(),
                p.responseTopic(),
                p.correlationData(),
                p.userProperties().stream()
                        .map(u -> Map.entry(u.name(), u.value()))
                        .toList());
    }
}
