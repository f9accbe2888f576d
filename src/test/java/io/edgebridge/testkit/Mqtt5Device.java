package io.edgebridge.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * A device speaking MQTT 5 through paho's v5 client, as modern firmware does: TLS, password, a persistent session
 * when asked, and MQTT 5 request/response — it answers a command on the command's response topic with its
 * correlation data, wherever that topic is.
 */
public final class Mqtt5Device implements AutoCloseable, MqttCallback {

    /** A message as the device received it, with the MQTT 5 properties it came with. */
    public record Received(String topic, String payload, int qos, MqttProperties properties) {
        public String correlationId() {
            byte[] data = properties.getCorrelationData();
            return data == null ? null : new String(data, StandardCharsets.UTF_8);
        }

        public String userProperty(String name) {
            return properties.getUserProperties().stream()
                    .filter(p -> p.getKey().equals(name))
                    .map(UserProperty::getValue)
                    .findFirst()
                    .orElse(null);
        }
    }

    private final String id;
    private final MqttClient client;
    private final MqttConnectionOptions options;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ExecutorService responder = Executors.newSingleThreadExecutor();
    private volatile Function<Received, String> answer;

    private Mqtt5Device(String id, MqttClient client, MqttConnectionOptions options) {
        this.id = id;
        this.client = client;
        this.options = options;
    }

    /**
     * Connects as {@code dev5-<id>}; with {@code sessionExpiry} above zero the broker keeps the session (and what
     * arrives for it) that long while the device is away.
     */
    public static Mqtt5Device connect(MqttBroker broker, String id, Duration sessionExpiry) {
        try {
            MqttClient client = new MqttClient(
                    "ssl://" + broker.host() + ":" + broker.port(), "dev5-" + id, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setSocketFactory(broker.certificates().clientContext().getSocketFactory());
            options.setHttpsHostnameVerificationEnabled(true);
            options.setUserName(broker.username());
            options.setPassword(broker.password().getBytes(StandardCharsets.UTF_8));
            options.setCleanStart(sessionExpiry.isZero());
            options.setSessionExpiryInterval(sessionExpiry.toSeconds());
            options.setAutomaticReconnect(false);
            Mqtt5Device device = new Mqtt5Device(id, client, options);
            client.setCallback(device);
            client.connect(options);
            return device;
        } catch (MqttException e) {
            throw new IllegalStateException("device " + id + " cannot connect: " + e, e);
        }
    }

    /** Subscribes to its commands, {@code devices/<id>/commands/#}; {@code respond} maps one to its answer. */
    public Mqtt5Device takeCommands(Function<Received, String> respond) {
        answer = respond;
        subscribe("devices/" + id + "/commands/#", 2);
        return this;
    }

    public void subscribe(String filter, int qos) {
        try {
            client.subscribe(filter, qos);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes with the given properties (null: none). */
    public void publish(String topic, byte[] payload, int qos, MqttProperties properties) {
        try {
            MqttMessage message = new MqttMessage(payload);
            message.setQos(qos);
            if (properties != null) {
                message.setProperties(properties);
            }
            client.publish(topic, message);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message, or null after {@code timeout}. */
    public Received next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String id() {
        return id;
    }

    /** Goes away (the session stays with the broker when it was asked to) and comes back. */
    public void disconnect() throws MqttException {
        client.disconnect();
    }

    public void reconnect() throws MqttException {
        options.setCleanStart(false);
        client.connect(options);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        Received command = new Received(
                topic,
                new String(message.getPayload(), StandardCharsets.UTF_8),
                message.getQos(),
                message.getProperties());
        received.add(command);
        Function<Received, String> respond = answer;
        String response = respond == null || topic.contains("/response") ? null : respond.apply(command);
        String responseTopic = message.getProperties().getResponseTopic();
        if (response != null && responseTopic != null) {
            MqttProperties properties = new MqttProperties();
            properties.setCorrelationData(message.getProperties().getCorrelationData());
            properties.setContentType("application/json");
            properties.setUserProperties(List.of(new UserProperty("answered-by", id)));
            // Not from the callback thread: paho must not block in messageArrived.
            responder.execute(() -> publish(responseTopic, response.getBytes(StandardCharsets.UTF_8), 1, properties));
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}

    @Override
    public void close() {
        responder.shutdown();
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
