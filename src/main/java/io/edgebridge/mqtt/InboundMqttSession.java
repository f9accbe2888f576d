package io.edgebridge.mqtt;

import io.edgebridge.health.ConnectionStatus;
import io.edgebridge.health.WindowStatus;
import io.edgebridge.metrics.BridgeMetrics;
import io.edgebridge.metrics.DropReason;
import io.edgebridge.telemetry.MqttReceived;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttConnAckMessage;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * One persistent MQTT session that feeds a reactive stream, acknowledging each message to the broker only after
 * the stream acknowledged it (the Kafka write), and in the order the broker sent them (MQTT 3.1.1, 4.6).
 *
 * <p>Memory is bounded by a window of {@code maxInFlight} messages received but not yet acknowledged. Because no
 * PUBACK leaves before Kafka has the record, the broker's own in-flight limit throttles it; should the broker send
 * more than the window anyway (a limit set too high, or Mosquitto before 2.0.13, which refills its whole limit on
 * every PUBACK), reading from the socket pauses while the window is full, so TCP holds the broker back. Should it
 * stay full for half a keep-alive (Kafka down), reading resumes so the connection stays alive, and what exceeds
 * the window is left unacknowledged; the session is then reopened once the window has drained, so the broker
 * sends it again. A message Kafka refused is never acknowledged: the session is reopened and the broker
 * redelivers it.
 *
 * <p>All state is confined to one Vert.x context (one event-loop thread); other threads hand work to it.
 */
final class InboundMqttSession implements Flow.Publisher<Message<byte[]>> {

    private static final Logger LOG = Logger.getLogger(InboundMqttSession.class);
    /**
     * Messages decoded from what the socket had already read when reading paused: one read is at most 64 KiB, so
     * a few thousand tiny messages; beyond this count (or max-in-flight-bytes of payload) the overflow applies.
     */
    private static final int HELD_LIMIT = 65_536;

    private final Vertx vertx;
    private final Context context;
    private final MqttClientOptions options;
    private final MqttConnection connection;
    private final Map<String, Integer> subscriptions;
    private final int maxInFlight;
    private final long maxInFlightBytes;
    private final ConnectionStatus status;
    private final WindowStatus window;
    private final BridgeMetrics metrics;

    // Confined to the context.
    private Flow.Subscriber<? super Message<byte[]>> subscriber;
    private long demand;
    private boolean emitting;
    private final ArrayDeque<Slot> ready = new ArrayDeque<>();
    private final ArrayDeque<Slot> unacked = new ArrayDeque<>();
    private final ArrayDeque<MqttPublishMessage> held = new ArrayDeque<>(); // read after reads paused
    private long heldBytes;
    private int inPipeline;
    private int windowCount; // received and not yet both answered by Kafka and released to the broker
    private long bytesInWindow; // their payload bytes
    private boolean barrierPending;
    private long barrierTimer = -1;
    private int generation;
    private boolean overflowing;
    private boolean overflowReported;
    private boolean draining;
    private CompletableFuture<Void> drained;
    private MqttSocket socket;
    private boolean readsPaused;
    private long pauseTimer = -1;

    private volatile int inFlight;
    private volatile Throwable failure;

    InboundMqttSession(
            Vertx vertx,
            String host,
            int port,
            MqttClientOptions options,
            TlsFiles tls,
            Map<String, Integer> subscriptions,
            int maxInFlight,
            long maxInFlightBytes,
            Duration initialBackoff,
            Duration maxBackoff,
            ConnectionStatus status,
            WindowStatus window,
            BridgeMetrics metrics) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.options = options;
        this.subscriptions = subscriptions;
        this.maxInFlight = maxInFlight;
        this.maxInFlightBytes = maxInFlightBytes;
        this.status = status;
        this.window = window;
        this.metrics = metrics;
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
                "MQTT",
                LOG,
                this::attach,
                this::onConnected,
                this::onLost);
    }

    /** One received message and where it stands. */
    private static final class Slot {
        final MqttPublishMessage mqtt;
        final int generation;
        final int qos;
        final int size;
        Message<byte[]> message;
        boolean done; // Kafka acknowledged it
        boolean completed; // Kafka answered (ack or nack), or it was never handed over
        boolean released; // PUBACKed, abandoned with its connection, or QoS 0
        boolean left; // no longer counted in the window

        Slot(MqttPublishMessage mqtt, int generation) {
            this.mqtt = mqtt;
            this.generation = generation;
            this.qos = mqtt.qosLevel().value();
            this.size = mqtt.payload().length();
        }
    }

    int inFlight() {
        return inFlight;
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Message<byte[]>> s) {
        onContext(() -> {
            if (subscriber != null) {
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {}
                });
                s.onError(new IllegalStateException("an MQTT inbound session serves one subscriber"));
                return;
            }
            subscriber = s;
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    onContext(() -> {
                        if (n <= 0) {
                            fail(new IllegalArgumentException("request(" + n + ") violates Reactive Streams 3.9"));
                            return;
                        }
                        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                        drain();
                    });
                }

                @Override
                public void cancel() {
                    onContext(InboundMqttSession.this::stop);
                }
            });
            // Connect only now: what the broker kept for the session arrives right after CONNACK and needs a taker.
            connection.open();
        });
    }

    /**
     * Stops taking messages, waits until everything handed to the stream is acknowledged by Kafka and PUBACKed,
     * then disconnects; after {@code timeout} it disconnects anyway (the rest is redelivered next time).
     */
    CompletableFuture<Void> drainAndStop(Duration timeout) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onContext(() -> {
            if (connection.isStopped()) {
                result.complete(null);
                return;
            }
            draining = true;
            drained = result;
            // Not yet handed to the stream: never acknowledged, so the broker keeps them for the next session.
            dropUnemitted();
            LOG.infof(
                    "Draining %d in-flight telemetry messages before disconnecting (at most %s)", inPipeline, timeout);
            vertx.setTimer(Math.max(1, timeout.toMillis()), id -> finishDrain());
            if (inPipeline == 0) {
                finishDrain();
            }
        });
        return result;
    }

    private void finishDrain() {
        if (drained == null) {
            return;
        }
        CompletableFuture<Void> done = drained;
        drained = null;
        if (inPipeline > 0) {
            LOG.warnf(
                    "Drain timed out with %d messages still waiting for Kafka; the broker redelivers them", inPipeline);
        }
        stop();
        onContext(() -> done.complete(null));
    }

    void stop() {
        onContext(() -> {
            if (connection.isStopped()) {
                return;
            }
            connection.stop();
            // A clean DISCONNECT suppresses the last will, so say it ourselves; the barrier keeps it ahead.
            publishStatus(MqttClientOptionsFactory.OFFLINE);
            disconnectAfterBarrier();
            status.update(false, "stopped");
        });
    }

    private void onContext(Runnable action) {
        Backoff.onContext(context, action);
    }

    // ---- connection lifecycle ----

    private void attach(MqttClient attempt) {
        attempt.publishHandler(message -> {
            if (connection.isCurrent(attempt)) {
                onPublish(message);
            }
        });
        attempt.subscribeCompletionHandler(suback -> {
            if (connection.isCurrent(attempt)) {
                onSubscribed(suback);
            }
        });
        attempt.pingResponseHandler(v -> {
            if (connection.isCurrent(attempt)) {
                onBarrier();
            }
        });
    }

    private void onConnected(MqttSocket opened, MqttConnAckMessage connack) {
        socket = opened;
        if (windowFull()) {
            pauseReads(); // what the broker kept for the session waits in TCP until the last connection's drains
        }
        LOG.debugf("MQTT connected to %s (session present: %s)", connection.endpoint(), connack.isSessionPresent());
        connection.client().subscribe(subscriptions);
    }

    private void onSubscribed(MqttSubAckMessage suback) {
        List<String> filters = new ArrayList<>(subscriptions.keySet());
        List<Integer> granted = suback.grantedQoSLevels();
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            if (i >= granted.size() || granted.get(i) == 0x80) {
                refused.add(filters.get(i));
            }
        }
        if (!refused.isEmpty()) {
            String reason = "broker refused the subscription to " + refused + " (check the broker's ACL for "
                    + options.getUsername() + ")";
            if (status.update(false, reason)) {
                LOG.errorf("MQTT %s", reason);
            }
            return;
        }
        if (status.update(true, null)) {
            LOG.infof(
                    "MQTT connected to %s as '%s' (TLS %s), subscribed to %s",
                    connection.endpoint(), options.getClientId(), options.isSsl() ? "on" : "OFF", subscriptions);
        }
        publishStatus(MqttClientOptionsFactory.ONLINE);
    }

    /** Retained bridge status on the status topic (the last will says {@code offline} for a crash). */
    private void publishStatus(String state) {
        MqttClient client = connection.client();
        if (client != null) {
            client.publish(options.getWillTopic(), Buffer.buffer(state), MqttQoS.AT_LEAST_ONCE, false, true)
                    .onFailure(e -> LOG.debugf("Status %s not published: %s", state, e));
        }
    }

    private String onLost() {
        endPause();
        socket = null;
        // Whatever was not acknowledged on this connection, the broker sends again on the next one.
        generation++;
        dropUnemitted();
        for (Slot slot : unacked) {
            slot.released = true; // the broker sends it again on the next connection
            leaveWindowIfDone(slot);
        }
        unacked.clear();
        cancelBarrier();
        overflowing = false;
        updateInFlight();
        return "reconnecting";
    }

    /** Reopens the session so the broker sends again what it has not had acknowledged. */
    private void requestRedelivery() {
        reopen("reopened so the broker redelivers unacknowledged messages");
    }

    /** Rotated TLS files take effect through a reconnect; the persistent session keeps what is queued. */
    void watchTlsFiles(Duration interval) {
        connection.watchTlsFiles(interval, () -> reopen("reopened with the changed TLS files"));
    }

    private void reopen(String why) {
        if (connection.planReopen(why)) {
            disconnectAfterBarrier();
        }
    }

    /**
     * Disconnects once the broker has read every PUBACK written before: it answers a PINGREQ only after the
     * packets sent ahead of it. Closing at once would let the socket discard queued PUBACKs, and the broker would
     * resend messages Kafka already has.
     */
    private void disconnectAfterBarrier() {
        MqttClient client = connection.client();
        if (client == null || barrierPending) {
            return;
        }
        barrierPending = true;
        resumeReads(); // the PINGRESP must be read
        client.ping();
        barrierTimer = vertx.setTimer(5000, id -> {
            barrierTimer = -1;
            onBarrier(); // no answer: disconnect anyway
        });
    }

    private void onBarrier() {
        if (!barrierPending) {
            return;
        }
        cancelBarrier();
        MqttClient client = connection.client();
        if (client != null) {
            client.disconnect();
        }
    }

    private void cancelBarrier() {
        barrierPending = false;
        if (barrierTimer >= 0) {
            vertx.cancelTimer(barrierTimer);
            barrierTimer = -1;
        }
    }

    // ---- messages ----

    private void onPublish(MqttPublishMessage mqtt) {
        if (connection.isStopped() || draining) {
            return; // not acknowledged: the broker keeps it for the session
        }
        int size = mqtt.payload().length();
        if (!overflowing && !readsPaused && held.isEmpty() && fits(size)) {
            admit(mqtt);
            return;
        }
        // No room: reading pauses, and what the socket had already read is held in arrival order until the window
        // has room. Once reading resumed with messages still held (the pause outlasted half a keep-alive), or if
        // it cannot pause, the rest is beyond the window.
        if (!overflowing
                && (readsPaused || held.isEmpty())
                && held.size() < HELD_LIMIT
                && heldBytes + size <= maxInFlightBytes) {
            held.add(mqtt);
            heldBytes += size;
            pauseReads();
            return;
        }
        overflow(mqtt);
    }

    /** Room for a message of {@code size} bytes; an empty window takes any one message, so none is stuck. */
    private boolean fits(int size) {
        return windowCount == 0 || windowCount < maxInFlight && bytesInWindow + size <= maxInFlightBytes;
    }

    /** Beyond the window: QoS 0 is dropped, QoS 1/2 left unacknowledged for the reopen that follows. */
    private void overflow(MqttPublishMessage mqtt) {
        if (mqtt.qosLevel().value() == 0) {
            metrics.dropped(DropReason.QOS0_WINDOW_FULL);
            return;
        }
        if (!overflowing) {
            overflowing = true;
            metrics.windowOverflow();
            if (!overflowReported) {
                overflowReported = true;
                LOG.warnf(
                        "The MQTT broker sent more than bridge.telemetry.max-in-flight=%d unacknowledged"
                                + " messages (or bridge.telemetry.max-in-flight-bytes=%d bytes); the excess stays"
                                + " unacknowledged and the session is reopened once the window drains, so the broker"
                                + " sends it again. Keep the broker's in-flight limit for the bridge (Mosquitto"
                                + " max_inflight_messages) below it. Further occurrences are counted in"
                                + " edgebridge_telemetry_window_overflows_total.",
                        maxInFlight, maxInFlightBytes);
            }
        }
    }

    private void admit(MqttPublishMessage mqtt) {
        int qos = mqtt.qosLevel().value();
        Slot slot = new Slot(mqtt, generation);
        byte[] payload = mqtt.payload().getBytes();
        MqttReceived origin = new MqttReceived(
                mqtt.topicName(), qos, mqtt.isRetain(), mqtt.isDup(), System.currentTimeMillis(), System.nanoTime());
        slot.message =
                Message.of(payload, Metadata.of(origin), () -> complete(slot, null), error -> complete(slot, error));
        if (qos > 0) {
            unacked.add(slot);
        } else {
            slot.released = true;
        }
        windowCount++;
        bytesInWindow += slot.size;
        ready.add(slot);
        if (windowFull()) {
            pauseReads();
        }
        drain();
    }

    private void admitHeld() {
        while (!held.isEmpty() && !overflowing && fits(held.peek().payload().length())) {
            MqttPublishMessage next = held.poll();
            heldBytes -= next.payload().length();
            admit(next);
        }
    }

    private void drain() {
        if (emitting || subscriber == null || draining) {
            return;
        }
        emitting = true;
        try {
            while (demand > 0 && !ready.isEmpty()) {
                Slot slot = ready.poll();
                demand--;
                inPipeline++;
                subscriber.onNext(slot.message);
            }
        } finally {
            emitting = false;
            updateInFlight();
        }
    }

    private CompletionStage<Void> complete(Slot slot, Throwable error) {
        context.runOnContext(v -> {
            inPipeline--;
            slot.completed = true;
            leaveWindowIfDone(slot);
            if (slot.generation == generation) {
                if (error == null) {
                    slot.done = true;
                    releaseAcknowledgements();
                } else if (slot.qos > 0) {
                    metrics.redeliveryRequested();
                    if (!connection.isReopening()) { // one line per episode, not per message
                        LOG.warnf(
                                "Kafka did not take a message from '%s' (%s); it and what follows stay"
                                        + " unacknowledged and the session is reopened so the broker redelivers them",
                                slot.mqtt.topicName(), error.toString());
                    }
                    requestRedelivery();
                } else {
                    metrics.dropped(DropReason.QOS0_KAFKA_FAILURE);
                }
            }
            if (overflowing && ready.isEmpty() && inPipeline == 0) {
                requestRedelivery();
            }
            if (draining && inPipeline == 0) {
                finishDrain();
            }
            admitHeld();
            // Resume with a quarter of the window free, not at the first free slot: fewer pause/resume turns.
            if (readsPaused
                    && held.isEmpty()
                    && windowCount <= maxInFlight * 3 / 4
                    && bytesInWindow <= maxInFlightBytes / 4 * 3) {
                resumeReads();
            }
            updateInFlight();
        });
        return CompletableFuture.completedFuture(null);
    }

    private boolean windowFull() {
        return windowCount >= maxInFlight || bytesInWindow >= maxInFlightBytes;
    }

    private void pauseReads() {
        if (readsPaused || socket == null || !socket.supported() || barrierPending) {
            return;
        }
        readsPaused = true;
        socket.pauseReads();
        metrics.readsPaused();
        // Paused reads also hold back PINGRESP: past half a keep-alive the client would close the connection.
        long limit = Math.max(1000, options.getKeepAliveInterval() * 500L);
        pauseTimer = vertx.setTimer(limit, id -> {
            pauseTimer = -1;
            if (readsPaused) {
                LOG.debugf(
                        "The telemetry window stayed full for %d ms; reading again, the excess stays"
                                + " unacknowledged",
                        limit);
                resumeReads();
            }
        });
    }

    private void resumeReads() {
        if (readsPaused && socket != null) {
            socket.resumeReads();
        }
        endPause();
    }

    private void endPause() {
        readsPaused = false;
        if (pauseTimer >= 0) {
            vertx.cancelTimer(pauseTimer);
            pauseTimer = -1;
        }
    }

    /** PUBACK (or PUBCOMP) in the order the PUBLISH packets arrived, as far as Kafka has acknowledged. */
    private void releaseAcknowledgements() {
        while (!unacked.isEmpty() && unacked.peek().done) {
            Slot slot = unacked.poll();
            slot.mqtt.ack();
            slot.released = true;
            leaveWindowIfDone(slot);
        }
    }

    private void leaveWindowIfDone(Slot slot) {
        if (slot.completed && slot.released && !slot.left) {
            slot.left = true;
            windowCount--;
            bytesInWindow -= slot.size;
            window.progress(System.nanoTime());
        }
    }

    /** Forgets received QoS 1/2 messages not yet handed to the stream: unacknowledged, the broker resends them. */
    private void dropUnemitted() {
        held.removeIf(mqtt -> mqtt.qosLevel().value() > 0);
        heldBytes = held.stream().mapToLong(mqtt -> mqtt.payload().length()).sum();
        ready.removeIf(slot -> {
            if (slot.qos > 0) {
                slot.completed = true;
                slot.released = true;
                leaveWindowIfDone(slot);
                return true;
            }
            return false;
        });
    }

    private void updateInFlight() {
        inFlight = windowCount;
        window.update(overflowing || windowCount >= maxInFlight, windowCount, maxInFlight, System.nanoTime());
    }

    private void fail(Throwable error) {
        failure = error;
        LOG.errorf(error, "The MQTT telemetry stream failed; liveness reports DOWN");
        stop();
        if (subscriber != null) {
            subscriber.onError(error);
        }
    }
}
