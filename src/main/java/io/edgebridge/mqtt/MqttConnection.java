package io.edgebridge.mqtt;

import io.edgebridge.health.ConnectionStatus;
import io.edgebridge.mqtt.client.ConnAck;
import io.edgebridge.mqtt.client.MqttClientConnection;
import io.edgebridge.mqtt.client.ReceivedPublish;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One MQTT connection that keeps itself up: every attempt uses the TLS files as they are now, a failed attempt or
 * a lost connection is retried with backoff, and its readiness status (and the log, one line per change) hears
 * of each change. What travels over it belongs to its owner, which hears when a connection opens, what it
 * receives, and when an open one is lost.
 *
 * <p>Confined to its owner's Vert.x context.
 */
final class MqttConnection {

    private static final long LEASE_RECHECK_MILLIS = 500;

    /** What travels over the connection: its owner's part. Called on the context. */
    interface Owner {
        /** The broker accepted a connection; messages it kept for the session follow. */
        void opened(MqttClientConnection connection, ConnAck connAck);

        /** A PUBLISH on the open connection. */
        void received(MqttClientConnection connection, ReceivedPublish message);

        /** An open connection closed; answers what became of the work in flight, for the log line. */
        String lost();
    }

    private final Vertx vertx;
    private final Context context;
    private final MqttEndpoint endpoint;
    private final Backoff backoff;
    private final ConnectionStatus status;
    private final String name;
    private final Logger log;
    private final Owner owner;
    private final BooleanSupplier mayConnect;

    private MqttClientConnection open;
    private int attempt; // which attempt's callbacks are current
    private boolean stopped;
    private String plannedReopen; // why a healthy connection is being reopened, or null
    private long reconnectTimer = -1;

    /** @param name what the log calls it ("MQTT", "MQTT command publisher") */
    MqttConnection(
            Vertx vertx,
            Context context,
            MqttEndpoint endpoint,
            ConnectionStatus status,
            String name,
            Logger log,
            Owner owner,
            BooleanSupplier mayConnect) {
        this.vertx = vertx;
        this.context = context;
        this.endpoint = endpoint;
        this.backoff = new Backoff(endpoint.initialBackoff(), endpoint.maxBackoff());
        this.status = status;
        this.name = name;
        this.log = log;
        this.owner = owner;
        this.mayConnect = mayConnect;
        status.endpoint(endpoint());
        status.update(false, null);
    }

    String endpoint() {
        return endpoint.address();
    }

    String clientId() {
        return endpoint.settings().clientId();
    }

    boolean tlsEnabled() {
        return endpoint.tcp().isSsl();
    }

    /** The open connection, or null. */
    MqttClientConnection client() {
        return open != null && open.isOpen() ? open : null;
    }

    boolean isConnected() {
        return client() != null;
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
        if (!isConnected() || plannedReopen != null) {
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
                            if (isConnected() && plannedReopen == null) {
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
        if (!mayConnect.getAsBoolean()) {
            // Not this replica's session now (its shard lease lapsed): never take it back; ask again shortly.
            status.update(false, "waiting to own this session's shard");
            reconnectTimer = vertx.setTimer(LEASE_RECHECK_MILLIS, id -> connect());
            return;
        }
        String what = name + " connection to " + endpoint();
        NetClientOptions tcp = endpoint.tls().forAttempt(endpoint.tcp(), status, what);
        if (tcp == null) {
            scheduleReconnect();
            return;
        }
        int current = ++attempt;
        MqttClientConnection.open(
                        vertx,
                        tcp,
                        endpoint.host(),
                        endpoint.port(),
                        endpoint.settings(),
                        endpoint.connectTimeout(),
                        endpoint.maxPacketBytes(),
                        new Listener(current))
                .onComplete(result -> {
                    if (current != attempt) {
                        return;
                    }
                    if (result.failed()) {
                        String reason = ConnectFailures.describeAttempt(result.cause(), tcp);
                        if (status.update(false, reason)) {
                            log.errorf("%s as '%s' failed: %s; retrying with backoff", what, clientId(), reason);
                        }
                        scheduleReconnect();
                        return;
                    }
                    open = result.result();
                    backoff.reset();
                    if (stopped) {
                        open.disconnect();
                        return;
                    }
                    owner.opened(open, open.connAck());
                });
    }

    /** The callbacks of one attempt's connection; those of an earlier attempt are ignored. */
    private final class Listener implements MqttClientConnection.Listener {
        private final int of;

        Listener(int of) {
            this.of = of;
        }

        @Override
        public void received(ReceivedPublish message) {
            if (of == attempt && open != null) {
                owner.received(open, message);
            }
        }

        @Override
        public void closed(Throwable cause) {
            if (of == attempt) {
                onClosed(cause);
            }
        }
    }

    private void onClosed(Throwable cause) {
        open = null;
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
        String reason = "connection lost" + (cause == null ? "" : ": " + ConnectFailures.describe(cause));
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
