package io.edgebridge.mqtt;

import io.edgebridge.mqtt.client.MqttClientConnection;
import io.vertx.core.Vertx;

/**
 * Pauses reading from the broker while the telemetry window is full, so TCP holds back a broker that sends more than
 * its in-flight limit. A paused socket cannot read PINGRESP either, so after half a keep-alive reading resumes by
 * itself (the excess then stays beyond the window). Confined to one Vert.x context.
 */
final class ReadPause {

    private final Vertx vertx;
    private final long limitMillis;
    private final Runnable expired;
    private MqttClientConnection connection;
    private boolean paused;
    private long timer = -1;

    /** @param expired runs when a pause outlasted its limit and reading resumed */
    ReadPause(Vertx vertx, int keepAliveSeconds, Runnable expired) {
        this.vertx = vertx;
        this.limitMillis = Math.max(1000, keepAliveSeconds * 500L);
        this.expired = expired;
    }

    /** The open connection (or null once it closed); a new connection starts reading. */
    void connection(MqttClientConnection current) {
        connection = current;
        end();
    }

    boolean isPaused() {
        return paused;
    }

    long limitMillis() {
        return limitMillis;
    }

    /** Pauses; false when there is no connection or reading is paused already. */
    boolean pause() {
        if (paused || connection == null) {
            return false;
        }
        paused = true;
        connection.pauseReads();
        timer = vertx.setTimer(limitMillis, id -> {
            timer = -1;
            if (paused) {
                resume();
                expired.run();
            }
        });
        return true;
    }

    void resume() {
        if (paused && connection != null) {
            connection.resumeReads();
        }
        end();
    }

    private void end() {
        paused = false;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
