package io.edgebridge.mqtt;

import io.edgebridge.health.DeliveryStatus;
import io.edgebridge.mqtt.client.MqttClientConnection;
import io.edgebridge.mqtt.client.OutgoingPublish;
import io.edgebridge.mqtt.client.PublishProperties;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Sends the telemetry session a QoS 1 probe through the broker every interval, on a topic the session subscribes to,
 * so readiness sees a session that stopped receiving while the broker holds messages for it ({@link DeliveryStatus}).
 * A probe travels the same way as telemetry (the broker's in-flight slots, the bridge's window and paused reads) and
 * is acknowledged in its turn, but never reaches Kafka. Confined to the session's context.
 */
final class DeliveryProbe {

    private final Vertx vertx;
    private final String topic;
    private final Duration interval;
    private final DeliveryStatus status;
    private long timer = -1;

    DeliveryProbe(Vertx vertx, String topic, Duration interval, DeliveryStatus status) {
        this.vertx = vertx;
        this.topic = topic;
        this.interval = interval;
        this.status = status;
    }

    boolean enabled() {
        return !interval.isZero() && !interval.isNegative();
    }

    String topic() {
        return topic;
    }

    boolean isProbe(String receivedTopic) {
        return enabled() && topic.equals(receivedTopic);
    }

    /** Probes while {@code subscribed} gives the connection the session is subscribed on (else null). */
    void start(Supplier<MqttClientConnection> subscribed) {
        if (!enabled() || timer >= 0) {
            return;
        }
        timer = vertx.setPeriodic(Math.max(100, interval.toMillis()), id -> {
            MqttClientConnection connection = subscribed.get();
            if (connection != null) {
                // Counted from the send: a probe delivered before its PUBACK arrives still ends the wait.
                status.sent(System.nanoTime());
                byte[] payload = Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
                connection.publish(new OutgoingPublish(topic, payload, 1, false, PublishProperties.NONE));
            }
        });
    }

    void received() {
        status.received(System.nanoTime());
    }

    /** What was out may come on the next connection; it sends a probe of its own. */
    void connectionLost() {
        status.reset();
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        status.reset();
    }
}
