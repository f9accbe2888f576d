package io.edgebridge.mqtt;

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
    private MqttSocket socket;
    private boolean paused;
    private long timer = -1;

    /** @param expired runs when a pause outlasted its limit and reading resumed */
    ReadPause(Vertx vertx, int keepAliveSeconds, Runnable expired) {
        this.vertx = vertx;
        this.limitMillis = Math.max(1000, keepAliveSeconds * 500L);
        this.expired = expired;
    }

    /** The socket of a new connection (or null when it closed); a new connection starts reading. */
    void socket(MqttSocket current) {
        socket = current;
        end();
    }

    boolean isPaused() {
        return paused;
    }

    long limitMillis() {
        return limitMillis;
    }

    /** Pauses; false when it cannot (no socket, or the client's socket is not reachable) or already is. */
    boolean pause() {
        if (paused || socket == null || !socket.supported()) {
            return false;
        }
        paused = true;
        socket.pauseReads();
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
        if (paused && socket != null) {
            socket.resumeReads();
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
