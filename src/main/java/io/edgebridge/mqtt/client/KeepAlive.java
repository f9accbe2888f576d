package io.edgebridge.mqtt.client;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * PINGREQ when nothing was written for most of the keep-alive (MQTT requires a packet within it), and the
 * connection closed when a PINGRESP does not come within a keep-alive. Callers may ping too: the broker answers
 * PINGREQs in order, so the n-th PINGRESP answers the n-th PINGREQ. Confined to the connection's context.
 */
final class KeepAlive {

    private final Vertx vertx;
    private final Consumer<MqttMessage> write;
    private final Consumer<Throwable> fail;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private long intervalNanos;
    private long lastWriteNanos = System.nanoTime();
    private long pingsSent;
    private long pongsReceived;
    private long oldestUnansweredNanos = -1;
    private long timer = -1;

    private record Waiter(long ping, Promise<Void> answered) {}

    KeepAlive(Vertx vertx, Consumer<MqttMessage> write, Consumer<Throwable> fail) {
        this.vertx = vertx;
        this.write = write;
        this.fail = fail;
    }

    /** Starts with the keep-alive in effect; 0 switches it off (MQTT allows that). */
    void start(int keepAliveSeconds) {
        if (keepAliveSeconds <= 0) {
            return;
        }
        intervalNanos = keepAliveSeconds * 1_000_000_000L;
        long period = Math.max(100, keepAliveSeconds * 1000L / 4);
        timer = vertx.setPeriodic(period, id -> check(System.nanoTime()));
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        ConnectionClosedException closed = new ConnectionClosedException(null);
        waiters.forEach(w -> w.answered().tryFail(closed));
        waiters.clear();
    }

    void wrote() {
        lastWriteNanos = System.nanoTime();
    }

    Future<Void> ping() {
        sendPing();
        Promise<Void> answered = Promise.promise();
        waiters.add(new Waiter(pingsSent, answered));
        return answered.future();
    }

    void pong() {
        pongsReceived++;
        oldestUnansweredNanos = pongsReceived < pingsSent ? System.nanoTime() : -1;
        while (!waiters.isEmpty() && waiters.peek().ping() <= pongsReceived) {
            waiters.poll().answered().tryComplete();
        }
    }

    private void check(long now) {
        if (oldestUnansweredNanos >= 0 && now - oldestUnansweredNanos > intervalNanos) {
            fail.accept(new ProtocolException("no PINGRESP within the keep-alive of " + intervalNanos / 1_000_000_000L
                    + " s (broker unresponsive, or the connection is stalled)"));
            return;
        }
        if (now - lastWriteNanos >= intervalNanos * 3 / 4) {
            sendPing();
        }
    }

    private void sendPing() {
        if (oldestUnansweredNanos < 0) {
            oldestUnansweredNanos = System.nanoTime();
        }
        pingsSent++;
        write.accept(Packets.PINGREQ);
    }
}
