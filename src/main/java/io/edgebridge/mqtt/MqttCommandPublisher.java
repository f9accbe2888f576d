package io.edgebridge.mqtt;

import io.edgebridge.command.CommandPublisher;
import io.edgebridge.health.ConnectionStatus;
import io.edgebridge.mqtt.client.ConnAck;
import io.edgebridge.mqtt.client.MqttClientConnection;
import io.edgebridge.mqtt.client.MqttProtocol;
import io.edgebridge.mqtt.client.OutgoingPublish;
import io.edgebridge.mqtt.client.PublishProperties;
import io.edgebridge.mqtt.client.PublishResult;
import io.edgebridge.mqtt.client.ReceivedPublish;
import io.edgebridge.mqtt.client.UserProperty;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Publishes commands to devices on one MQTT connection: the glue between a connection that keeps itself up
 * ({@link MqttConnection}) and the window that orders and bounds the publishes ({@link PublishWindow}). Each publish
 * completes only when the broker acknowledged it (PUBACK for QoS 1, PUBCOMP for QoS 2), not when it was written.
 *
 * <p>All state is confined to one Vert.x context.
 */
public final class MqttCommandPublisher implements CommandPublisher, MqttConnection.Owner {

    private static final Logger LOG = Logger.getLogger(MqttCommandPublisher.class);

    /** One command to publish, and who waits for its outcome. */
    private record Command(Publication publication, CompletableFuture<Outcome> result) {}

    private final Vertx vertx;
    private final Context context;
    private final MqttConnection connection;
    private final ConnectionStatus status;
    private final PublishWindow<Command> window;

    // Confined to the context.
    private long expiryTimer = -1;
    private CompletableFuture<Void> drained;

    private volatile int pending;

    MqttCommandPublisher(Vertx vertx, MqttEndpoint endpoint, int maxUnacknowledged, ConnectionStatus status) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.status = status;
        this.window = new PublishWindow<>(maxUnacknowledged);
        this.connection =
                new MqttConnection(vertx, context, endpoint, status, "MQTT command publisher", LOG, this, () -> true);
    }

    /** Commands handed over and not yet acknowledged by the broker or expired. */
    public int pending() {
        return pending;
    }

    void start() {
        onContext(() -> {
            expiryTimer = vertx.setPeriodic(250, id -> expireQueued());
            connection.open();
        });
    }

    @Override
    public CompletionStage<Outcome> publish(Publication publication) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        onContext(() -> {
            if (connection.isStopped()) {
                result.completeExceptionally(new IllegalStateException("the command publisher is stopped"));
                return;
            }
            window.enqueue(new Command(publication, result), publication.expiresAt());
            writeWhatFits();
        });
        return result;
    }

    /** Waits up to {@code timeout} for every handed-over command to be acknowledged, then disconnects. */
    CompletableFuture<Void> finishPendingAndStop(Duration timeout) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onContext(() -> {
            if (connection.isStopped()) {
                result.complete(null);
                return;
            }
            drained = result;
            if (window.pending() > 0) {
                LOG.infof(
                        "Waiting for %d commands to be acknowledged by the MQTT broker (at most %s)",
                        window.pending(), timeout);
            }
            vertx.setTimer(Math.max(1, timeout.toMillis()), id -> stop());
            stopIfFinished();
        });
        return result;
    }

    void stop() {
        onContext(() -> {
            if (connection.isStopped()) {
                return;
            }
            connection.stop();
            if (window.pending() > 0) {
                LOG.warnf(
                        "%d commands were not acknowledged by the MQTT broker before stopping; their Kafka offsets"
                                + " are not committed, so they are published again after the restart",
                        window.pending());
            }
            if (expiryTimer >= 0) {
                vertx.cancelTimer(expiryTimer);
            }
            IllegalStateException stop = new IllegalStateException("the command publisher stopped");
            window.withdrawAll().forEach(p -> p.item.result().completeExceptionally(stop));
            updatePending();
            MqttClientConnection open = connection.client();
            if (open != null) {
                open.disconnect();
            }
            status.update(false, "stopped");
            if (drained != null) {
                drained.complete(null);
                drained = null;
            }
        });
    }

    /** Rotated TLS files take effect through a reconnect, made between commands so none is sent twice. */
    void watchTlsFiles(Duration interval) {
        connection.watchTlsFiles(interval, () -> {
            connection.planReopen("reopened with the changed TLS files");
            writeWhatFits();
        });
    }

    private void onContext(Runnable action) {
        Backoff.onContext(context, action);
    }

    // ---- the connection ----

    @Override
    public void opened(MqttClientConnection open, ConnAck connAck) {
        window.brokerLimit(connAck.receiveMaximum());
        if (status.update(true, null)) {
            LOG.infof(
                    "MQTT command publisher connected to %s as '%s' (MQTT %s, TLS %s)",
                    connection.endpoint(),
                    connection.clientId(),
                    open.protocol(),
                    connection.tlsEnabled() ? "on" : "OFF");
        }
        writeWhatFits();
    }

    @Override
    public void received(MqttClientConnection via, ReceivedPublish message) {
        // It subscribes to nothing; a broker that sends anyway gets its acknowledgement.
        via.acknowledge(message);
    }

    @Override
    public String lost() {
        return window.connectionLost() + " unacknowledged commands are sent again after reconnecting";
    }

    // ---- publishing ----

    private void writeWhatFits() {
        MqttClientConnection open = connection.client();
        if (connection.isReopening() && open != null && window.unacknowledged() == 0) {
            open.disconnect(); // the reopen waits for the acknowledgements, so nothing is sent twice
            return;
        }
        List<PublishWindow.Publish<Command>> expired = new ArrayList<>();
        while (connection.client() != null && !connection.isStopped() && !connection.isReopening()) {
            PublishWindow.Publish<Command> next = window.nextToWrite(Instant.now(), expired);
            if (next == null) {
                break;
            }
            write(next);
        }
        expired.forEach(p -> p.item.result().complete(Outcome.EXPIRED));
        updatePending();
        stopIfFinished();
    }

    private void write(PublishWindow.Publish<Command> publish) {
        MqttClientConnection sender = connection.client();
        sender.publish(outgoing(publish.item.publication(), sender)).onComplete(answered -> {
            if (answered.failed()) {
                // Not answered: the connection went away (or is made to), and the window puts it back in order.
                sender.close();
                return;
            }
            if (window.acknowledged(publish)) {
                PublishResult result = answered.result();
                published(
                        publish,
                        result.accepted()
                                ? Outcome.PUBLISHED
                                : Outcome.refused(
                                        String.format("the broker answered with reason 0x%02X", result.reasonCode())
                                                + (result.reasonString() == null ? "" : ": " + result.reasonString())));
            }
        });
    }

    /**
     * The PUBLISH for {@code publication} on this connection: at most the broker's Maximum QoS (MQTT 5: more is a
     * protocol error), with the MQTT 5 properties when the connection speaks 5.
     */
    private static OutgoingPublish outgoing(Publication publication, MqttClientConnection sender) {
        int qos = Math.min(publication.qos(), sender.connAck().maximumQos());
        PublishProperties properties = PublishProperties.NONE;
        if (sender.protocol() == MqttProtocol.V5) {
            long remaining =
                    Duration.between(Instant.now(), publication.expiresAt()).toMillis();
            properties = new PublishProperties(
                    null,
                    Math.max(1, (remaining + 999) / 1000),
                    publication.contentType(),
                    publication.responseTopic(),
                    publication.correlationData(),
                    publication.userProperties().stream()
                            .map(p -> new UserProperty(p.getKey(), p.getValue()))
                            .toList());
        }
        return new OutgoingPublish(publication.topic(), publication.payload(), qos, publication.retain(), properties);
    }

    private void published(PublishWindow.Publish<Command> publish, Outcome outcome) {
        publish.item.result().complete(outcome);
        writeWhatFits();
    }

    /** Commands still waiting in the queue (broker down or window full) expire on time, not on reconnect. */
    private void expireQueued() {
        List<PublishWindow.Publish<Command>> expired = window.expireQueued(Instant.now());
        if (!expired.isEmpty()) {
            expired.forEach(p -> p.item.result().complete(Outcome.EXPIRED));
            updatePending();
            stopIfFinished();
        }
    }

    private void stopIfFinished() {
        if (drained != null && window.pending() == 0) {
            stop();
        }
    }

    private void updatePending() {
        pending = window.pending();
    }
}
