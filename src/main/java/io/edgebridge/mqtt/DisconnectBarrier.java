package io.edgebridge.mqtt;

import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;

/**
 * Disconnects once the broker has read every packet written before: it answers a PINGREQ only after the packets
 * sent ahead of it. Closing at once would let the socket discard queued acknowledgements, and the broker would
 * resend messages Kafka already has. Without an answer within {@value #TIMEOUT_MILLIS} ms it disconnects anyway.
 * Confined to one Vert.x context.
 */
final class DisconnectBarrier {

    private static final long TIMEOUT_MILLIS = 5000;

    private final Vertx vertx;
    private MqttClient client;
    private long timer = -1;

    DisconnectBarrier(Vertx vertx) {
        this.vertx = vertx;
    }

    boolean isPending() {
        return client != null;
    }

    /** Sends the PINGREQ; {@link #pong()} (or the time-out) disconnects. */
    void start(MqttClient open) {
        if (open == null || client != null) {
            return;
        }
        client = open;
        open.ping();
        timer = vertx.setTimer(TIMEOUT_MILLIS, id -> {
            timer = -1;
            pong();
        });
    }

    /** The broker answered the PINGREQ: everything written before it was read. */
    void pong() {
        MqttClient closing = client;
        cancel();
        if (closing != null) {
            closing.disconnect();
        }
    }

    /** The connection went away by itself. */
    void cancel() {
        client = null;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
