package io.edgebridge.bench;

import io.edgebridge.testkit.MqttBroker;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Many MQTT clients (devices, or a plain subscriber) on a couple of Vert.x event loops instead of a thread each, so
 * 1,000 devices cost the load generator little. TLS with the broker's CA and hostname check, user and password.
 *
 * <p>{@link #send} may be called from any thread: each client keeps its own queue and publishes from its event loop
 * with at most {@code window} QoS 1 messages unacknowledged, in the order they were handed over.
 */
final class MqttFleet implements AutoCloseable {

    private final List<Member> members = new ArrayList<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private final class Member {
        final MqttClient client;
        Context context;
        final ConcurrentLinkedQueue<Object[]> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean scheduled = new AtomicBoolean();
        final int window;
        int unacknowledged; // on the context

        Member(MqttClient client, int window) {
            this.client = client;
            this.window = window;
        }

        void pump() {
            scheduled.set(false);
            Object[] next;
            while (unacknowledged < window && (next = queue.poll()) != null) {
                MqttQoS qos = (MqttQoS) next[2];
                if (qos != MqttQoS.AT_MOST_ONCE) {
                    unacknowledged++;
                }
                client.publish((String) next[0], Buffer.buffer((byte[]) next[1]), qos, false, false)
                        .onComplete(written -> {
                            if (written.failed()) {
                                failed.incrementAndGet();
                                if (qos != MqttQoS.AT_MOST_ONCE) {
                                    unacknowledged--;
                                }
                            } else if (qos == MqttQoS.AT_MOST_ONCE) {
                                acknowledged.incrementAndGet();
                            }
                        });
            }
        }

        void onAcknowledged() {
            unacknowledged--;
            acknowledged.incrementAndGet();
            if (!queue.isEmpty()) {
                pump();
            }
        }
    }

    /**
     * Connects one client per id (clean session). With {@code subscription} (a format with {@code %s} for the id, or
     * a fixed filter), each client subscribes at {@code qos} and hands every message's payload to {@code received}.
     */
    static MqttFleet connect(
            Vertx vertx,
            MqttBroker broker,
            List<String> clientIds,
            int window,
            String subscription,
            int qos,
            Consumer<byte[]> received) {
        MqttFleet fleet = new MqttFleet();
        int batch = 50; // TLS handshakes in parallel, not a thousand at once
        for (int from = 0; from < clientIds.size(); from += batch) {
            List<Future<?>> connecting = new ArrayList<>();
            for (String id : clientIds.subList(from, Math.min(clientIds.size(), from + batch))) {
                MqttClient client = MqttClient.create(vertx, options(broker, id, window));
                Member member = fleet.new Member(client, window);
                fleet.members.add(member);
                client.publishCompletionHandler(packetId -> member.onAcknowledged());
                if (received != null) {
                    client.publishHandler(
                            message -> received.accept(message.payload().getBytes()));
                }
                Context context = vertx.getOrCreateContext();
                member.context = context;
                Future<?> connected = Future.future(promise -> context.runOnContext(v -> client.connect(
                                broker.port(), broker.host())
                        .compose(ack -> subscription == null
                                ? Future.succeededFuture()
                                : client.subscribe(
                                        subscription.contains("%s") ? String.format(subscription, id) : subscription,
                                        qos))
                        .onComplete(done -> {
                            if (done.succeeded()) {
                                promise.complete();
                            } else {
                                promise.fail(done.cause());
                            }
                        })));
                connecting.add(connected);
            }
            try {
                Future.all(connecting).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                fleet.close();
                throw new IllegalStateException("MQTT clients did not connect: " + e, e);
            }
        }
        return fleet;
    }

    /** A device's options: clean session, TLS with the broker's CA and hostname check, user and password. */
    static MqttClientOptions options(MqttBroker broker, String clientId, int window) {
        MqttClientOptions options = new MqttClientOptions()
                .setClientId(clientId)
                .setCleanSession(true)
                .setUsername(broker.username())
                .setPassword(broker.password())
                .setKeepAliveInterval(60)
                .setMaxMessageSize(1 << 20);
        options.setAutoAck(true);
        options.setMaxInflightQueue(Math.max(10, window));
        options.setSsl(true);
        options.setHostnameVerificationAlgorithm("HTTPS");
        options.setTrustOptions(
                new PemTrustOptions().addCertPath(broker.certificates().caCert.toString()));
        return options;
    }

    /** Hands a message to client {@code member}; it publishes it in order, within its window. */
    void send(int member, String topic, byte[] payload, int qos) {
        Member m = members.get(member);
        m.queue.add(new Object[] {topic, payload, MqttQoS.valueOf(qos)});
        if (m.scheduled.compareAndSet(false, true)) {
            m.context.runOnContext(v -> m.pump());
        }
    }

    /** Publishes the broker acknowledged (QoS 1) or that were written (QoS 0). */
    long acknowledged() {
        return acknowledged.get();
    }

    long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        List<Future<?>> closing = new ArrayList<>();
        for (Member m : members) {
            if (m.client.isConnected()) {
                closing.add(Future.future(
                        p -> m.context.runOnContext(v -> m.client.disconnect().onComplete(done -> p.complete()))));
            }
        }
        try {
            Future.all(closing).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
    }
}
