package io.edgebridge.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HiveMQ CE as a test broker: MQTT 5 clients over TLS (trusting only the test CA); a persistent session whose QoS 1
 * messages, published while the subscriber was away, survive a broker restart and arrive in order; a packet log that
 * shows a subscriber's PUBREC; the in-flight bound a test sets; and, when asked, a password check.
 */
class HiveMqBrokerTest {

    static final Path WORK = Path.of("target", "hivemq-broker-test").toAbsolutePath();

    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        for (MqttClient client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 1000);
                }
                client.close(true);
            } catch (MqttException e) {
                // the broker is gone already
            }
        }
    }

    @Test
    void aPersistentSessionKeepsQueuedMessagesAcrossABrokerRestart() throws Exception {
        try (HiveMqBroker broker = HiveMqBroker.start(WORK.resolve("restart-" + System.nanoTime()))) {
            List<String> received = new CopyOnWriteArrayList<>();
            MqttClient subscriber = connect(broker, "hivemq-test-subscriber", false, received);
            subscriber.subscribe("fleet/+/telemetry", 1).waitForCompletion(10_000);
            subscriber.disconnect(10_000);

            MqttClient publisher = connect(broker, "hivemq-test-publisher", true, new CopyOnWriteArrayList<>());
            List<String> sent =
                    IntStream.range(0, 50).mapToObj(i -> "reading " + i).toList();
            for (String payload : sent) {
                // Returns once the broker's PUBACK is in: the message is the broker's from here on.
                publisher.publish("fleet/d1/telemetry", payload.getBytes(StandardCharsets.UTF_8), 1, false);
            }
            publisher.disconnect(10_000);

            broker.stopProcess();
            broker.startProcess();

            IMqttToken reconnected =
                    client(broker, "hivemq-test-subscriber", received).connectWithResult(options(broker, false));
            assertTrue(reconnected.getSessionPresent(), "the broker kept the subscriber's session");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= sent.size());
            assertEquals(sent, received, "every queued message, once, in publish order");
            String log = Files.readString(broker.logFile());
            assertTrue(log.contains("Client ID: hivemq-test-subscriber"), "client events reach the broker log");
            assertFalse(log.contains("dropped"), "no message was dropped");
        }
    }

    @Test
    void thePacketLogShowsEachPubrecAndTheInflightBoundHolds() throws Exception {
        try (HiveMqBroker broker = HiveMqBroker.start(WORK.resolve("traced-" + System.nanoTime()), 5, true)) {
            List<String> received = new CopyOnWriteArrayList<>();
            MqttClient subscriber = connect(broker, "hivemq-qos2-subscriber", true, received);
            subscriber.subscribe("fleet/+/command", 2).waitForCompletion(10_000);
            MqttClient publisher = connect(broker, "hivemq-qos2-publisher", true, new CopyOnWriteArrayList<>());
            publisher.publish("fleet/d1/command", "reboot".getBytes(StandardCharsets.UTF_8), 2, false);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
            // The subscriber's PUBREC for the broker's PUBLISH (packet id 1), then its PUBCOMP.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readString(broker.logFile())
                            .contains("Client hivemq-qos2-subscriber: Received PUBCOMP remove message id:[1]"));
            assertTrue(Files.readString(broker.logFile())
                    .contains("Client hivemq-qos2-subscriber: Received PUBREC remove message id:[1]"));

            // A session with a backlog, back without acknowledging anything: the broker sends maxInflight, no more.
            List<String> unacknowledged = new CopyOnWriteArrayList<>();
            MqttClient slow = connect(broker, "hivemq-slow-subscriber", false, unacknowledged);
            slow.subscribe("fleet/+/telemetry", 1).waitForCompletion(10_000);
            slow.disconnect(10_000);
            for (int i = 0; i < 20; i++) {
                publisher.publish("fleet/d1/telemetry", ("reading " + i).getBytes(StandardCharsets.UTF_8), 1, false);
            }
            MqttClient back = client(broker, "hivemq-slow-subscriber", unacknowledged);
            back.setManualAcks(true);
            back.connectWithResult(options(broker, false));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> unacknowledged.size() >= 5);
            Awaitility.await()
                    .during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> unacknowledged.size() == 5);
        }
    }

    @Test
    void withAPasswordOnlyTheRightOneGetsIn() throws Exception {
        try (HiveMqBroker broker = HiveMqBroker.startWithPassword(WORK.resolve("password-" + System.nanoTime()))) {
            MqttConnectionOptions wrong = options(broker, true);
            wrong.setPassword((broker.password() + "x").getBytes(StandardCharsets.UTF_8));
            MqttClient refused = client(broker, "hivemq-wrong-password", new CopyOnWriteArrayList<>());
            MqttException e = assertThrows(MqttException.class, () -> refused.connect(wrong));
            assertEquals(0x86, e.getReasonCode(), "MQTT 5 CONNACK: bad user name or password");
            MqttConnectionOptions stranger = options(broker, true);
            stranger.setUserName("someone-else");
            MqttClient unknown = client(broker, "hivemq-unknown-user", new CopyOnWriteArrayList<>());
            assertEquals(
                    0x86,
                    assertThrows(MqttException.class, () -> unknown.connect(stranger))
                            .getReasonCode());
            IllegalStateException old = assertThrows(
                    IllegalStateException.class,
                    () -> SimulatedDevice.connect(broker, "hivemq-v3-wrong", broker.username(), "wrong"));
            assertTrue(
                    old.getMessage().contains("Bad user name or password (4)"),
                    "MQTT 3.1.1 CONNACK return code 4: " + old.getMessage());

            List<String> received = new CopyOnWriteArrayList<>();
            MqttClient right = connect(broker, "hivemq-right-password", true, received);
            right.subscribe("fleet/+/telemetry", 1).waitForCompletion(10_000);
            right.publish("fleet/d1/telemetry", "let in".getBytes(StandardCharsets.UTF_8), 1, false);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.equals(List.of("let in")));
            assertFalse(Files.readString(broker.logFile()).contains(broker.password()), "the password is never logged");
        }
    }

    private MqttClient connect(MqttBroker broker, String clientId, boolean cleanStart, List<String> received)
            throws MqttException {
        MqttClient client = client(broker, clientId, received);
        client.connectWithResult(options(broker, cleanStart));
        return client;
    }

    private MqttClient client(MqttBroker broker, String clientId, List<String> received) throws MqttException {
        MqttClient client =
                new MqttClient("ssl://" + broker.host() + ":" + broker.port(), clientId, new MemoryPersistence());
        clients.add(client);
        client.setCallback(new Collector(received));
        return client;
    }

    private static MqttConnectionOptions options(MqttBroker broker, boolean cleanStart) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(broker.certificates().clientContext().getSocketFactory());
        options.setUserName(broker.username());
        options.setPassword(broker.password().getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(cleanStart ? 0L : 3600L);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        return options;
    }

    /** Keeps the payloads a client receives, in arrival order. */
    private record Collector(List<String> received) implements MqttCallback {

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {}

        @Override
        public void mqttErrorOccurred(MqttException exception) {}

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }
}
