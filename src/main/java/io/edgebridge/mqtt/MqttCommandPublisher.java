package io.edgebridge.mqtt;

import io.edgebridge.command.CommandPublisher;
import io.edgebridge.health.ConnectionStatus;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttConnAckMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Publishes commands to devices on one MQTT connection and completes each publish only when the broker
 * acknowledged it (PUBACK for QoS 1, PUBCOMP for QoS 2), not when it was written to the socket.
 *
 * <p>Commands go out in the order they were handed over, at most {@code window} unacknowledged at a time (Vert.x
 * fails publishes beyond its in-flight limit; this never asks for more). When the connection drops, the
 * unacknowledged ones are sent again, in their order, after reconnecting: a device may see a QoS 1 command twice,
 * never lose it. A command whose deadline passes while it waits is not published.
 *
 * <p>All state is confined to one Vert.x context.
 */
public final class MqttCommandPublisher implements CommandPublisher {

    private static final Logger LOG = Logger.getLogger(MqttCommandPublisher.class);

    private final Vertx vertx;
    private final Context context;
    private final MqttClientOptions options;
    private final MqttConnection connection;
    private final int window;
    private final ConnectionStatus status;

    // Confined to the context.
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Map<Integer, Pending> awaitingAck = new HashMap<>();
    private final List<Pending> writing = new ArrayList<>();
    private final Set<Integer> earlyAcks = new HashSet<>();
    private long nextSeq;
    private int unacknowledged;
    private long expiryTimer = -1;
    private CompletableFuture<Void> drained;

    private volatile int pending;

    MqttCommandPublisher(
            Vertx vertx,
            String host,
            int port,
            MqttClientOptions options,
            TlsFiles tls,
            int window,
            Duration initialBackoff,
            Duration maxBackoff,
            ConnectionStatus status) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.options = options;
        this.window = window;
        this.status = status;
        this.connection = new MqttConnection(
                vertx,
                context,
                host,
                port,
                options,
                tls,
                initialBackoff,
                maxBackoff,
                status,
                "MQTT command publisher",
                LOG,
                this::attach,
                this::onConnected,
                this::onLost);
    }

    private static final class Pending {
        final long seq;
        final String topic;
        final Buffer payload;
        final MqttQoS qos;
        final boolean retain;
        final Instant expiresAt;
        final CompletableFuture<Outcome> result;

        Pending(
                long seq,
                String topic,
                byte[] payload,
                int qos,
                boolean retain,
                Instant expiresAt,
                CompletableFuture<Outcome> result) {
            this.result = result;
            this.seq = seq;
            this.topic = topic;
            this.payload = Buffer.buffer(payload);
            this.qos = MqttQoS.valueOf(qos);
            this.retain = retain;
            this.expiresAt = expiresAt;
        }
    }

    private int generation;

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

    /**
     * Publishes in hand-over order; completes with {@link Outcome#PUBLISHED} once the broker acknowledged it, or
     * {@link Outcome#EXPIRED} if {@code expiresAt} passed before it could be sent. Completes exceptionally only
     * when the publisher is stopped first.
     */
    public CompletionStage<Outcome> publish(String topic, byte[] payload, int qos, boolean retain, Instant expiresAt) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        onContext(() -> {
            if (connection.isStopped()) {
                result.completeExceptionally(new IllegalStateException("the command publisher is stopped"));
                return;
            }
            queue.add(new Pending(nextSeq++, topic, payload, qos, retain, expiresAt, result));
            updatePending();
            pump();
        });
        return result;
    }

    /** Waits up to {@code timeout} for every handed-over command to be acknowledged, then disconnects. */
    CompletableFuture<Void> drainAndStop(Duration timeout) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onContext(() -> {
            if (connection.isStopped()) {
                result.complete(null);
                return;
            }
            drained = result;
            if (pending > 0) {
                LOG.infof(
                        "Waiting for %d commands to be acknowledged by the MQTT broker (at most %s)", pending, timeout);
            }
            vertx.setTimer(Math.max(1, timeout.toMillis()), id -> stop());
            checkDrained();
        });
        return result;
    }

    void stop() {
        onContext(() -> {
            if (connection.isStopped()) {
                return;
            }
            connection.stop();
            if (pending > 0) {
                LOG.warnf(
                        "%d commands were not acknowledged by the MQTT broker before stopping; their Kafka offsets"
                                + " are not committed, so they are published again after the restart",
                        pending);
            }
            if (expiryTimer >= 0) {
                vertx.cancelTimer(expiryTimer);
            }
            IllegalStateException stop = new IllegalStateException("the command publisher stopped");
            List<Pending> all = new ArrayList<>(queue);
            all.addAll(writing);
            all.addAll(awaitingAck.values());
            queue.clear();
            writing.clear();
            awaitingAck.clear();
            all.forEach(p -> p.result.completeExceptionally(stop));
            updatePending();
            MqttClient open = connection.client();
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

    private void checkDrained() {
        if (drained != null && pending == 0) {
            stop();
        }
    }

    private void onContext(Runnable action) {
        Backoff.onContext(context, action);
    }

    // ---- connection ----

    private void attach(MqttClient attempt) {
        attempt.publishCompletionHandler(id -> {
            if (connection.isCurrent(attempt)) {
                onAcknowledged(id);
            }
        });
    }

    private void onConnected(MqttSocket flushing, MqttConnAckMessage connack) {
        generation++;
        if (status.update(true, null)) {
            LOG.infof(
                    "MQTT command publisher connected to %s as '%s' (TLS %s)",
                    connection.endpoint(), options.getClientId(), options.isSsl() ? "on" : "OFF");
        }
        pump();
    }

    /** Unacknowledged commands go back to the head of the queue, in their order, to be sent again. */
    private String onLost() {
        List<Pending> resend = new ArrayList<>(writing);
        resend.addAll(awaitingAck.values());
        resend.sort(Comparator.comparingLong(p -> p.seq));
        writing.clear();
        awaitingAck.clear();
        earlyAcks.clear();
        unacknowledged = 0;
        for (int i = resend.size() - 1; i >= 0; i--) {
            queue.addFirst(resend.get(i));
        }
        return resend.size() + " unacknowledged commands are sent again after reconnecting";
    }

    // ---- publishing ----

    /** Rotated TLS files take effect through a reconnect, made between commands so none is sent twice. */
    void watchTlsFiles(Duration interval) {
        connection.watchTlsFiles(interval, () -> {
            connection.planReopen("reopened with the changed TLS files");
            pump();
        });
    }

    private void pump() {
        MqttClient open = connection.client();
        if (connection.isReopening() && open != null && unacknowledged == 0) {
            open.disconnect(); // the reopen waits for the acknowledgements, so nothing is sent twice
            return;
        }
        while (connection.client() != null
                && !connection.isStopped()
                && !connection.isReopening()
                && unacknowledged < window
                && !queue.isEmpty()) {
            Pending p = queue.poll();
            if (!Instant.now().isBefore(p.expiresAt)) {
                p.result.complete(Outcome.EXPIRED);
                continue;
            }
            send(p);
        }
        updatePending();
        checkDrained();
    }

    private void send(Pending p) {
        unacknowledged++;
        writing.add(p);
        MqttClient sender = connection.client();
        int sentGeneration = generation;
        sender.publish(p.topic, p.payload, p.qos, false, p.retain).onComplete(written -> {
            if (sender != connection.client() || sentGeneration != generation || !writing.contains(p)) {
                return; // the connection went away; onLost put it back in the queue
            }
            if (written.failed()) {
                // Not on the wire: reopen the connection, which puts it back in order with the others.
                LOG.debugf("Command publish to %s not written (%s); reconnecting", p.topic, written.cause());
                if (connection.isConnected()) {
                    sender.disconnect();
                }
                return;
            }
            writing.remove(p);
            if (p.qos == MqttQoS.AT_MOST_ONCE) {
                unacknowledged--;
                p.result.complete(Outcome.PUBLISHED);
                pump();
                return;
            }
            int id = written.result();
            if (earlyAcks.remove(id)) {
                unacknowledged--;
                p.result.complete(Outcome.PUBLISHED);
                pump();
            } else {
                awaitingAck.put(id, p);
            }
        });
    }

    private void onAcknowledged(int id) {
        Pending p = awaitingAck.remove(id);
        if (p == null) {
            earlyAcks.add(id); // the acknowledgement overtook the write callback
            return;
        }
        unacknowledged--;
        p.result.complete(Outcome.PUBLISHED);
        pump();
    }

    /** Commands still waiting in the queue (broker down or window full) expire on time, not on reconnect. */
    private void expireQueued() {
        if (queue.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        boolean changed = queue.removeIf(p -> {
            if (!now.isBefore(p.expiresAt)) {
                p.result.complete(Outcome.EXPIRED);
                return true;
            }
            return false;
        });
        if (changed) {
            updatePending();
            checkDrained();
        }
    }

    private void updatePending() {
        pending = queue.size() + writing.size() + awaitingAck.size();
    }
}
