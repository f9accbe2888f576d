package io.edgebridge.mqtt;

import io.edgebridge.metrics.DropReason;
import io.edgebridge.metrics.TelemetryMetrics;
import io.edgebridge.mqtt.client.MqttClientConnection;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * What the telemetry session does when its window fills: it pauses reading from the broker, so TCP holds back a
 * broker that sends more than its in-flight limit, and it reports what goes beyond the window anyway. A paused
 * socket cannot read PINGRESP either, so after half a keep-alive reading resumes by itself (the excess then stays
 * beyond the window, for a reopen). Confined to one Vert.x context.
 */
final class WindowPressure {

    private static final Logger LOG = Logger.getLogger(WindowPressure.class);

    private final Vertx vertx;
    private final long limitMillis;
    private final TelemetryMetrics metrics;
    private final BooleanSupplier disconnecting;
    private MqttClientConnection connection;
    private boolean paused;
    private boolean beyondReported; // logged once; the metric counts the rest
    private long timer = -1;

    /** @param disconnecting a deliberate disconnect waits for a PINGRESP: reading must not pause then */
    WindowPressure(Vertx vertx, int keepAliveSeconds, TelemetryMetrics metrics, BooleanSupplier disconnecting) {
        this.vertx = vertx;
        this.limitMillis = Math.max(1000, keepAliveSeconds * 500L);
        this.metrics = metrics;
        this.disconnecting = disconnecting;
    }

    /** The open connection (or null once it closed); a new connection starts reading. */
    void connection(MqttClientConnection current) {
        connection = current;
        end();
    }

    boolean isPaused() {
        return paused;
    }

    /** Pauses reading (not while disconnecting, nor without a connection, nor twice). */
    void pause() {
        if (paused || connection == null || disconnecting.getAsBoolean()) {
            return;
        }
        paused = true;
        connection.pauseReads();
        metrics.readsPaused();
        timer = vertx.setTimer(limitMillis, id -> {
            timer = -1;
            if (paused) {
                resume();
                LOG.debugf(
                        "The telemetry window stayed full for %d ms; reading again, the excess stays unacknowledged",
                        limitMillis);
            }
        });
    }

    /**
     * A message beyond the window: a QoS 0 one is dropped (counted), a QoS 1/2 one is left unacknowledged for the
     * reopen that follows, counted and logged once per process.
     *
     * @param first whether it is the first beyond the window on this connection
     */
    void beyond(int qos, boolean first, int capacity) {
        if (qos == 0) {
            metrics.dropped(DropReason.QOS0_WINDOW_FULL);
            return;
        }
        if (!first) {
            return;
        }
        metrics.windowOverflow();
        if (!beyondReported) {
            beyondReported = true;
            LOG.warnf(
                    "The MQTT broker sent more than bridge.telemetry.max-in-flight=%d unacknowledged messages (or"
                            + " max-in-flight-bytes); the excess stays unacknowledged and the session is reopened once"
                            + " the window drains. Keep the broker's in-flight limit for the bridge (Mosquitto"
                            + " max_inflight_messages) below it. Counted in"
                            + " edgebridge_telemetry_window_overflows_total.",
                    capacity);
        }
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
