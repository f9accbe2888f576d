package io.edgebridge.mqtt.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.MqttBroker;
import io.edgebridge.testkit.SimulatedDevice;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The MQTT client against a real Mosquitto (TLS, passwords), in both protocol versions: acknowledgements only when
 * asked, PUBREC deferred for QoS 2, a PUBREL from an earlier connection answered, publishes completed by the broker.
 */
class MqttClientConnectionTest {

    static Path dir;
    static MosquittoBroker broker;
    static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("mqtt-client-test");
        broker = MosquittoBroker.start(dir.resolve("mosquitto"), 20);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        broker.close();
    }

    /** One connection of the client under test, driven on its own context, and what it received. */
    static final class Client implements MqttClientConnection.Listener {
        final Context context = vertx.getOrCreateContext();
        final BlockingQueue<ReceivedPublish> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        MqttClientConnection connection;

        static Client open(MqttBroker broker, MqttProtocol protocol, String clientId, boolean cleanStart)
                throws Exception {
            Client client = new Client();
            ConnectSettings settings = new ConnectSettings(
                    protocol,
                    clientId,
                    broker.username(),
                    broker.password().getBytes(StandardCharsets.UTF_8),
                    30,
                    cleanStart,
                    3600,
                    100,
                    1 << 20,
                    null);
            NetClientOptions tcp = tls(broker);
            client.connection = client.call(() -> MqttClientConnection.open(
                    vertx, tcp, broker.host(), broker.port(), settings, Duration.ofSeconds(10), 1 << 20, client));
            return client;
        }

        <T> T call(Supplier<Future<T>> action) throws Exception {
            CompletableFuture<T> result = new CompletableFuture<>();
            context.runOnContext(v -> action.get().onComplete(r -> {
                if (r.succeeded()) {
                    result.complete(r.result());
                } else {
                    result.completeExceptionally(r.cause());
                }
            }));
            return result.get(15, TimeUnit.SECONDS);
        }

        void run(Runnable action) throws Exception {
            call(() -> {
                action.run();
                return Future.succeededFuture();
            });
        }

        ReceivedPublish next() throws InterruptedException {
            return received.poll(10, TimeUnit.SECONDS);
        }

        @Override
        public void received(ReceivedPublish message) {
            received.add(message);
        }

        @Override
        public void closed(Throwable cause) {
            closed.complete(cause);
        }
    }

    static NetClientOptions tls(MqttBroker broker) throws IOException {
        return new NetClientOptions()
                .setSsl(true)
                .setHostnameVerificationAlgorithm("HTTPS")
                .setTrustOptions(new PemTrustOptions()
                        .addCertValue(Buffer.buffer(Files.readAllBytes(broker.certificates().caCert))));
    }

    static void publish(String topic, String payload, int qos) {
        publish(broker, topic, payload, qos);
    }

    static void publish(MqttBroker to, String topic, String payload, int qos) {
        try (SimulatedDevice device = SimulatedDevice.connect(to, "pub-" + System.nanoTime())) {
            device.publish(topic, payload, qos);
        }
    }

    @ParameterizedTest
    @EnumSource(MqttProtocol.class)
    void aMessageNotAcknowledgedIsSentAgainAndOneAcknowledgedIsNot(MqttProtocol protocol) throws Exception {
        String id = "ack-" + protocol.label();
        String topic = "client-test/" + id;
        Client first = Client.open(broker, protocol, id, true); // no session left from an earlier run
        first.run(() -> first.connection.disconnect());
        Client subscriber = Client.open(broker, protocol, id, false);
        subscriber.call(() -> subscriber.connection.subscribe(Map.of(topic + "/#", 2)));
        publish(topic + "/q1", "one", 1);
        publish(topic + "/q2", "two", 2);
        ReceivedPublish one = subscriber.next();
        ReceivedPublish two = subscriber.next();
        assertEquals(List.of("one", "two"), List.of(text(one), text(two)));
        assertEquals(List.of(1, 2), List.of(one.qos(), two.qos()));
        subscriber.run(() -> subscriber.connection.acknowledge(one)); // PUBACK for one; no PUBREC for two
        subscriber.call(() -> subscriber.connection.ping()); // the broker has read the PUBACK
        subscriber.run(() -> subscriber.connection.close()); // as a crash would

        Client again = Client.open(broker, protocol, id, false);
        assertTrue(again.connection.connAck().sessionPresent());
        ReceivedPublish resent = again.next();
        assertEquals("two", text(resent), "a QoS 2 message without PUBREC is still the broker's");
        assertTrue(resent.duplicate());
        assertNull(again.received.poll(500, TimeUnit.MILLISECONDS), "the acknowledged QoS 1 message is not resent");
        again.run(() -> again.connection.acknowledge(resent));
        again.call(() -> again.connection.ping());
        again.run(() -> again.connection.disconnect());
    }

    /**
     * The stall of issue 23: a process sent PUBREC and died before answering the broker's PUBREL. The broker sends
     * the PUBREL again to the next connection, which never saw that packet id; unanswered, the message holds the
     * broker's in-flight slot for ever (here the only one: max_inflight_messages 1) and nothing more arrives.
     */
    @ParameterizedTest
    @EnumSource(MqttProtocol.class)
    void aPubrelForAPubrecOfAnEarlierConnectionIsAnsweredAndTheSessionKeepsFlowing(MqttProtocol protocol)
            throws Exception {
        try (MosquittoBroker strict = MosquittoBroker.startLoggingPackets(dir.resolve("strict-" + protocol), 1)) {
            String id = "pubrel-" + protocol.label();
            String topic = "client-test/" + id;
            Client first = Client.open(strict, protocol, id, true);
            first.run(() -> first.connection.disconnect());
            Client crashing = Client.open(strict, protocol, id, false);
            crashing.call(() -> crashing.connection.subscribe(Map.of(topic, 2)));
            publish(strict, topic, "m", 2);
            ReceivedPublish message = crashing.next();
            // PUBREC, then reads stop: the broker's PUBREL stays unread in the socket, and the process dies.
            crashing.run(() -> {
                crashing.connection.acknowledge(message);
                crashing.connection.pauseReads();
            });
            awaitLog(strict, "Sending PUBREL to " + id);
            crashing.run(() -> crashing.connection.close());
            crashing.closed.get(10, TimeUnit.SECONDS);

            Client next = Client.open(strict, protocol, id, false);
            for (int i = 0; i < 5; i++) {
                publish(strict, topic, "after-" + i, 2);
            }
            for (int i = 0; i < 5; i++) {
                ReceivedPublish after = next.next();
                assertNotNull(after, "the session stalled after " + i + " messages");
                assertEquals("after-" + i, text(after));
                next.run(() -> next.connection.acknowledge(after));
            }
            assertTrue(Files.readString(strict.logFile()).contains("Received PUBCOMP from " + id));
            next.call(() -> next.connection.ping());
            next.run(() -> next.connection.disconnect());
        }
    }

    private static void awaitLog(MosquittoBroker broker, String line) {
        Awaitility.await("the broker's log saying: " + line)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Files.readString(broker.logFile()).contains(line));
    }

    @ParameterizedTest
    @EnumSource(MqttProtocol.class)
    void publishesCompleteWhenTheBrokerAcknowledgesThem(MqttProtocol protocol) throws Exception {
        String topic = "client-test/out-" + protocol.label();
        Client subscriber = Client.open(broker, protocol, "out-sub-" + protocol.label(), true);
        subscriber.call(() -> subscriber.connection.subscribe(Map.of(topic, 2)));
        Client publisher = Client.open(broker, protocol, "out-pub-" + protocol.label(), true);
        PublishProperties properties = new PublishProperties(
                true,
                60L,
                "application/json",
                "replies/here",
                new byte[] {1, 2, 3},
                List.of(new UserProperty("trace", "t-1"), new UserProperty("trace", "t-2")));
        for (int qos = 0; qos <= 2; qos++) {
            int q = qos;
            PublishResult result = publisher.call(() -> publisher.connection.publish(
                    new OutgoingPublish(topic, ("q" + q).getBytes(StandardCharsets.UTF_8), q, false, properties)));
            assertTrue(result.accepted());
            ReceivedPublish received = subscriber.next();
            assertEquals("q" + q, text(received));
            subscriber.run(() -> subscriber.connection.acknowledge(received));
            if (protocol == MqttProtocol.V5) {
                PublishProperties got = received.properties();
                assertEquals("application/json", got.contentType());
                assertEquals("replies/here", got.responseTopic());
                assertArrayEquals(new byte[] {1, 2, 3}, got.correlationData());
                assertEquals(Boolean.TRUE, got.payloadUtf8());
                assertTrue(got.messageExpirySeconds() <= 60);
                assertEquals(properties.userProperties(), got.userProperties(), "in order, names may repeat");
            } else {
                assertTrue(received.properties().isEmpty(), "MQTT 3.1.1 carries no properties");
            }
        }
        assertEquals(0, publisher.connection.unacknowledgedPublishes());
        publisher.run(() -> publisher.connection.disconnect());
        subscriber.run(() -> subscriber.connection.disconnect());
    }

    @ParameterizedTest
    @EnumSource(MqttProtocol.class)
    void aRefusedConnectionSaysWhy(MqttProtocol protocol) throws Exception {
        Client client = new Client();
        ConnectSettings wrong = new ConnectSettings(
                protocol,
                "refused",
                broker.username(),
                "wrong".getBytes(StandardCharsets.UTF_8),
                30,
                true,
                0,
                100,
                1 << 20,
                null);
        NetClientOptions tcp = tls(broker);
        ExecutionException refused = assertThrows(
                ExecutionException.class,
                () -> client.call(() -> MqttClientConnection.open(
                        vertx, tcp, broker.host(), broker.port(), wrong, Duration.ofSeconds(10), 1 << 20, client)));
        ConnectRefusedException cause = assertInstanceOf(ConnectRefusedException.class, refused.getCause());
        // Mosquitto says "not authorized" (5, 0x87) where others say "bad user name or password" (4, 0x86).
        List<Integer> refusals = protocol == MqttProtocol.V5 ? List.of(0x86, 0x87) : List.of(4, 5);
        assertTrue(refusals.contains(cause.code()), "refused with " + cause.code());
        assertFalse(client.closed.isDone(), "a connection that never opened is not reported closed");
    }

    private static String text(ReceivedPublish message) {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }
}
