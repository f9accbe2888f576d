package io.edgebridge.mqtt;

import io.edgebridge.health.ConnectionStatus;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttConnAckMessage;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * One MQTT connection that keeps itself up: every attempt uses the TLS files as they are now, a failed attempt or
 * a lost connection is retried with backoff, and its readiness status (and the log, one line per change) hears
 * of each change. What travels over it belongs to its owner, which attaches its handlers to each new client,
 * and hears when a connection opens and when an open one is lost.
 *
 * <p>Confined to its owner's Vert.x context.
 */
final class MqttConnection {

    /** What travels over the connection: its owner's part. */
    interface Owner {
        /**
         * Sets the owner's handlers on a new client before it connects; they ignore a client no longer
         * {@link MqttConnection#isCurrent current}.
         */
        void attach(MqttClient attempt);

        /** The broker accepted the connection: its socket (flushes consolidated) and CONNACK. */
        void opened(MqttSocket socket, MqttConnAckMessage connack);

        /** An open connection closed; answers what became of the work in flight, for the log line. */
        String lost();
    }

    private final Vertx vertx;
    private final Context context;
    private final MqttEndpoint endpoint;
    private final MqttClientOptions options;
    private final Backoff backoff;
    private final ConnectionStatus status;
    private final String name;
    private final Logger log;
    private final Owner owner;

    private MqttClient client;
    private boolean connected;
    private boolean stopped;
    private String plannedReopen; // why a healthy connection is being reopened, or null
    private long reconnectTimer = -1;
    private Throwable lastException;

    /** @param name what the log calls it ("MQTT", "MQTT command publisher") */
    MqttConnection(
            Vertx vertx,
            Context context,
            MqttEndpoint endpoint,
            ConnectionStatus status,
            String name,
            Logger log,
            Owner owner) {
        this.vertx = vertx;
        this.context = context;
        this.endpoint = endpoint;
        this.options = endpoint.options();
        this.backoff = new Backoff(endpoint.initialBackoff(), endpoint.maxBackoff());
        this.status = status;
        this.name = name;
        this.log = log;
        this.owner = owner;
        status.endpoint(endpoint());
        status.update(false, null);
    }

    String endpoint() {
        return endpoint.address();
    }

    /** The client of the open connection, or null. */
    MqttClient client() {
        return connected ? client : null;
    }

    boolean isConnected() {
        return connected;
    }

    boolean isCurrent(MqttClient attempt) {
        return attempt == client;
    }

    boolean isStopped() {
        return stopped;
    }

    /** A deliberate reopen is under way: the owner disconnects when its work allows, then it reconnects at once. */
    boolean isReopening() {
        return plannedReopen != null;
    }

    void open() {
        Backoff.onContext(context, this::connect);
    }

    /** Stops reconnecting; closing the open connection is the owner's (a DISCONNECT may have to wait). */
    void stop() {
        stopped = true;
        if (reconnectTimer >= 0) {
            vertx.cancelTimer(reconnectTimer);
        }
    }

    /**
     * Marks the open connection for a reopen: when it closes, the next attempt follows at once and readiness does
     * not flip for it. False when not connected or a reopen is already under way.
     */
    boolean planReopen(String why) {
        if (!connected || plannedReopen != null) {
            return false;
        }
        plannedReopen = why;
        return true;
    }

    /** Rotated TLS files take effect through a reopen; {@code onChange} runs on the context while connected. */
    void watchTlsFiles(Duration interval, Runnable onChange) {
        endpoint.tls()
                .watch(
                        vertx,
                        interval,
                        () -> stopped,
                        () -> Backoff.onContext(context, () -> {
                            if (connected && plannedReopen == null) {
                                log.infof(
                                        "MQTT TLS files changed; the %s connection to %s reopens with them",
                                        name, endpoint());
                                onChange.run();
                            }
                        }));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        reconnectTimer = -1;
        if (!endpoint.tls().applyTo(options, status, name + " connection to " + endpoint())) {
            scheduleReconnect();
            return;
        }
        MqttClient attempt = MqttClient.create(vertx, options);
        client = attempt;
        connected = false;
        lastException = null;
        owner.attach(attempt);
        attempt.exceptionHandler(error -> lastException = error);
        attempt.closeHandler(v -> onClosed(attempt));
        attempt.connect(endpoint.port(), endpoint.host()).onComplete(result -> {
            if (attempt != client) {
                return;
            }
            if (result.succeeded()) {
                connected = true;
                backoff.reset();
                if (stopped) {
                    attempt.disconnect();
                    return;
                }
                owner.opened(MqttSocket.of(attempt).consolidateFlushes(), result.result());
            } else {
                String reason = ConnectFailures.describeAttempt(result.cause(), lastException, options);
                if (status.update(false, reason)) {
                    log.errorf(
                            "%s connection to %s as '%s' failed: %s; retrying with backoff",
                            name, endpoint(), options.getClientId(), reason);
                }
                scheduleReconnect();
            }
        });
    }

    private void onClosed(MqttClient closed) {
        if (closed != client || !connected) {
            return; // a failed attempt is retried by its connect handler
        }
        connected = false;
        String inFlight = owner.lost();
        if (stopped) {
            return;
        }
        String planned = plannedReopen;
        plannedReopen = null;
        if (planned != null) {
            log.debugf("%s connection %s", name, planned);
            reconnectTimer = vertx.setTimer(1, id -> connect());
            return;
        }
        String reason =
                "connection lost" + (lastException == null ? "" : ": " + ConnectFailures.describe(lastException));
        if (status.update(false, reason)) {
            log.warnf("%s connection to %s %s; %s", name, endpoint(), reason, inFlight);
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (stopped || reconnectTimer >= 0) {
            return;
        }
        reconnectTimer = vertx.setTimer(backoff.nextDelayMillis(), id -> connect());
    }
}
