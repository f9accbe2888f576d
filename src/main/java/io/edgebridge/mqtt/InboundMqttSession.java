package io.edgebridge.mqtt;

import io.edgebridge.health.ConnectionStatus;
import io.edgebridge.metrics.DropReason;
import io.edgebridge.metrics.TelemetryMetrics;
import io.edgebridge.mqtt.client.ConnAck;
import io.edgebridge.mqtt.client.ConnectSettings;
import io.edgebridge.mqtt.client.MqttClientConnection;
import io.edgebridge.mqtt.client.ReceivedPublish;
import io.edgebridge.telemetry.HeldBytes;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * One persistent MQTT session feeding the telemetry stream: the glue between a connection that keeps itself up
 * ({@link MqttConnection}), the window that decides what is admitted and when each message is acknowledged (only
 * after Kafka has it, in arrival order: {@link InboundWindow}), paused reads while it is full ({@link WindowPressure}),
 * a stop that first lets Kafka answer ({@link Drain}) and disconnects that wait until the broker has read every
 * acknowledgement ({@link DisconnectBarrier}). What Kafka refused or the window could not take stays
 * unacknowledged, and the session is reopened for the broker to send it again. Confined to one Vert.x context (one
 * event-loop thread); other threads hand work to it.
 */
final class InboundMqttSession implements MqttConnection.Owner {

    private static final Logger LOG = Logger.getLogger(InboundMqttSession.class);
    /**
     * Messages decoded from what the socket had already read when reading paused: one read is at most 64 KiB, so
     * a few thousand tiny messages; beyond this count (or max-in-flight-bytes of payload) they are beyond the window.
     */
    static final int MAX_HELD = 65_536;

    private final Vertx vertx;
    private final Context context;
    private final MqttConnection connection;
    private final SessionSubscriptions subscriptions;
    private final InboundWindow<Arrival> window;
    private final Predicate<String> forwards;
    private final Runnable ready;
    private final WindowPressure pressure;
    private final DisconnectBarrier barrier;
    private final ConnectionStatus status;
    private final WindowReport report;
    private final DeliveryProbe deliveryProbe;
    private final TelemetryMetrics metrics;
    private final Drain drain;

    private boolean stopping; // confined to the context; stops taking messages: shut down, or draining before that

    /** @param ready tells the stream that a message is ready for it; the session runs on {@code context} */
    InboundMqttSession(Vertx vertx, Context context, SessionSpec spec, TelemetryMetrics metrics, Runnable ready) {
        this.vertx = vertx;
        this.context = context;
        MqttEndpoint endpoint = spec.endpoint();
        ConnectSettings settings = endpoint.settings();
        this.status = spec.status();
        this.subscriptions =
                new SessionSubscriptions(spec.filters(), settings.will().topic(), settings.username(), status);
        this.report = new WindowReport(spec.windowStatus());
        this.deliveryProbe = spec.probe();
        this.forwards = spec.forwards();
        this.metrics = metrics;
        this.ready = ready;
        this.window = new InboundWindow<>(
                spec.maxInFlight(),
                spec.maxInFlightBytes(),
                MAX_HELD,
                arrival -> arrival.via().acknowledge(arrival.mqtt()));
        this.barrier = new DisconnectBarrier(vertx);
        this.pressure = new WindowPressure(vertx, settings.keepAliveSeconds(), metrics, barrier::isPending);
        this.connection = new MqttConnection(vertx, context, endpoint, status, "MQTT", LOG, this, spec.mayConnect());
        this.drain = new Drain(vertx, context, window, LOG, this::stop);
    }

    int inFlight() {
        return report.inFlight();
    }

    String clientId() {
        return connection.clientId();
    }

    /** Connects (only once the stream has its subscriber: what the broker kept arrives right after CONNACK). */
    void start() {
        onContext(() -> {
            connection.open();
            deliveryProbe.start(subscriptions::subscribedOn);
        });
    }

    /**
     * Drops the connection at once, acknowledging nothing more: the shard is no longer this replica's, and the next
     * owner gets what was not acknowledged. What Kafka still has is answered into the window and forgotten.
     */
    void abandon() {
        onContext(() -> {
            stopping = true;
            connection.stop();
            deliveryProbe.stop();
            MqttClientConnection open = connection.client();
            if (open != null) {
                open.close(); // no DISCONNECT: the broker publishes the will
            }
            status.update(false, "shard lost");
        });
    }

    /**
     * Stops taking messages, waits until everything handed to the stream is acknowledged by Kafka and to the broker,
     * then disconnects; after {@code timeout} it disconnects anyway (the rest is redelivered next time).
     */
    CompletableFuture<Void> finishInFlightAndStop(Duration timeout) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onContext(() -> {
            if (connection.isStopped()) {
                result.complete(null);
                return;
            }
            stopping = true;
            drain.start(result, timeout);
        });
        return result;
    }

    void stop() {
        onContext(() -> {
            if (connection.isStopped()) {
                return;
            }
            stopping = true;
            connection.stop();
            deliveryProbe.stop();
            // A clean DISCONNECT suppresses the last will, so say it ourselves; the barrier keeps it ahead.
            subscriptions.publishStatus(connection.client(), ClientSettings.OFFLINE);
            disconnectAfterBarrier();
            status.update(false, "stopped");
        });
    }

    /** The rules changed: see {@link SessionSubscriptions#change}. */
    CompletableFuture<Void> changeSubscriptions(Map<String, Integer> subscribe, List<String> unsubscribe) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onContext(() -> subscriptions
                .change(connection.client(), subscribe, unsubscribe)
                .whenComplete((v, e) -> {
                    if (e == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(e);
                    }
                }));
        return done;
    }

    /** Rotated TLS files take effect through a reconnect; the persistent session keeps what is queued. */
    void watchTlsFiles(Duration interval) {
        connection.watchTlsFiles(interval, () -> reopen("reopened with the changed TLS files"));
    }

    private void onContext(Runnable action) {
        Backoff.onContext(context, action);
    }

    // ---- the connection ----

    @Override
    public void opened(MqttClientConnection open, ConnAck connAck) {
        pressure.connection(open);
        if (window.isFull()) {
            pressure.pause(); // what the broker kept for the session waits in TCP until the last connection's drains
        }
        LOG.debugf("MQTT connected to %s (session present: %s)", connection.endpoint(), connAck.sessionPresent());
        subscriptions.subscribe(open, connection.endpoint(), connection.clientId(), connection.tlsEnabled());
    }

    @Override
    public String lost() {
        pressure.connection(null);
        barrier.cancel();
        deliveryProbe.connectionLost();
        // Whatever was not acknowledged on this connection, the broker sends again on the next one.
        window.connectionLost();
        report.update(window);
        return "reconnecting";
    }

    private void reopen(String why) {
        if (connection.planReopen(why)) {
            disconnectAfterBarrier();
        }
    }

    private void disconnectAfterBarrier() {
        pressure.resume(); // the PINGRESP must be read
        barrier.start(connection.client());
    }

    // ---- messages ----

    @Override
    public void received(MqttClientConnection via, ReceivedPublish mqtt) {
        if (stopping) {
            return; // not acknowledged: the broker keeps it for the session
        }
        int qos = mqtt.qos();
        boolean wasBeyond = window.isBeyond();
        Arrival arrival = Arrival.of(via, mqtt, deliveryProbe, forwards);
        switch (window.offer(arrival, qos, mqtt.payload().length, pressure.isPaused())) {
            case ADMITTED -> {
                if (window.isFull()) {
                    pressure.pause();
                }
                ready.run();
                report.update(window);
            }
            case HELD -> pressure.pause();
            case BEYOND -> {
                pressure.beyond(qos, !wasBeyond, window.capacity());
                report.update(window);
            }
        }
    }

    /** The next admitted message as a stream message, or null (none, or no longer taking). On the context. */
    Message<byte[]> next() {
        if (stopping) {
            return null;
        }
        InboundWindow.Entry<Arrival> entry = window.emit();
        while (entry != null && entry.message.purpose() != Arrival.Purpose.FORWARD) {
            // Not for Kafka: acknowledged in its turn, like telemetry, so the broker's order holds.
            window.answered(entry, true);
            if (entry.message.purpose() == Arrival.Purpose.PROBE) {
                deliveryProbe.received();
            }
            entry = window.emit();
        }
        if (entry == null) {
            return null;
        }
        InboundWindow.Entry<Arrival> sent = entry;
        return Message.of(
                sent.message.mqtt().payload(),
                // A transform's records count in the window too, once telemetry knows their size.
                Metadata.of(sent.message.origin(), (HeldBytes) bytes -> onContext(() -> window.grow(sent, bytes))),
                () -> answered(sent, null),
                error -> answered(sent, error));
    }

    /** Kafka answered for a message (from the producer's thread): back to the context. */
    private CompletionStage<Void> answered(InboundWindow.Entry<Arrival> entry, Throwable error) {
        context.runOnContext(v -> {
            switch (window.answered(entry, error == null)) {
                case REDELIVER -> {
                    metrics.redeliveryRequested();
                    if (!connection.isReopening()) { // one line per episode, not per message
                        LOG.warnf(
                                "Kafka did not take a message from '%s' (%s); it and what follows stay"
                                        + " unacknowledged and the session is reopened so the broker redelivers them",
                                entry.message.origin().topic(), error.toString());
                    }
                    requestRedelivery();
                }
                case DROPPED_QOS0 -> metrics.dropped(DropReason.QOS0_KAFKA_FAILURE);
                case NOTHING -> {}
            }
            if (window.needsReopen()) {
                requestRedelivery();
            }
            if (stopping) {
                drain.answered();
            }
            window.admitHeld();
            if (pressure.isPaused() && window.hasRoomToResume()) {
                pressure.resume();
            }
            ready.run();
            report.update(window);
        });
        return CompletableFuture.completedFuture(null);
    }

    /** Reopens the session so the broker sends again what it has not had acknowledged. */
    private void requestRedelivery() {
        reopen("reopened so the broker redelivers unacknowledged messages");
    }
}
