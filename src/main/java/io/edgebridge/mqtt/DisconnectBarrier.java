package io.edgebridge.mqtt;

import io.edgebridge.mqtt.client.MqttClientConnection;
import io.vertx.core.Vertx;

/**
 * Disconnects once the broker has read every packet written before: it answers a PINGREQ only after the packets
 * sent ahead of it. Closing at once would let the socket discard queued acknowledgements, and the broker would
 * resend messages Kafka already has. Without an answer within {@value #TIMEOUT_MILLIS} ms it disconnects anyway.
 * Confined to one Vert.x context.
 */
final class DisconnectBarrier {

    private static final long TIMEOUT_MILLIS = 5000;

    private final Vertx vertx;
    private MqttClientConnection connection;
    private long timer = -1;

    DisconnectBarrier(Vertx vertx) {
        this.vertx = vertx;
    }

    boolean isPending() {
        return connection != null;
    }

    /** Sends the PINGREQ; its PINGRESP (or the time-out) disconnects. */
    void start(MqttClientConnection open) {
        if (open == null || connection != null) {
            return;
        }
        connection = open;
        open.ping().onComplete(answered -> passed(open));
        timer = vertx.setTimer(TIMEOUT_MILLIS, id -> {
            timer = -1;
            passed(open);
        });
    }

    private void passed(MqttClientConnection open) {
        if (connection != open) {
            return;
        }
        cancel();
        open.disconnect();
    }

    /** The connection went away by itself. */
    void cancel() {
        connection = null;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
