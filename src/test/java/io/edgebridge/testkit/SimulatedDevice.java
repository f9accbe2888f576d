package io.edgebridge.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A device as the field has them: a paho MQTT client over TLS with a user name and password. */
public final class SimulatedDevice implements AutoCloseable {

    private final String id;
    private final MqttClient client;

    private SimulatedDevice(String id, MqttClient client) {
        this.id = id;
        this.client = client;
    }

    public static SimulatedDevice connect(MqttBroker broker, String deviceId) {
        return connect(broker, deviceId, broker.username(), broker.password());
    }

    /** How a device connects: TLS trusting only the broker's CA, hostname verified, password, clean session. */
    public static MqttConnectOptions connectOptions(MqttBroker broker, String username, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(broker.certificates().clientContext().getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(true);
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        options.setCleanSession(true);
        return options;
    }

    public static SimulatedDevice connect(MqttBroker broker, String deviceId, String username, String password) {
        try {
            MqttClient client = new MqttClient(
                    "ssl://" + broker.host() + ":" + broker.port(), "dev-" + deviceId, new MemoryPersistence());
            MqttConnectOptions options = connectOptions(broker, username, password);
            options.setMaxInflight(100);
            options.setAutomaticReconnect(false);
            client.connect(options);
            return new SimulatedDevice(deviceId, client);
        } catch (MqttException e) {
            throw new IllegalStateException("device " + deviceId + " cannot connect: " + e, e);
        }
    }

    /** The retained message on {@code topic} as a newly subscribing client sees it, or null after the timeout. */
    public static String retained(MqttBroker broker, String topic, Duration timeout) {
        try (SimulatedDevice reader = connect(broker, "status-reader-" + System.nanoTime())) {
            CompletableFuture<String> first = new CompletableFuture<>();
            reader.client.subscribe(topic, 1, (t, message) -> {
                if (message.isRetained()) {
                    first.complete(new String(message.getPayload(), StandardCharsets.UTF_8));
                }
            });
            return first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + topic + ": " + e, e);
        }
    }

    public String id() {
        return id;
    }

    /** Publishes and waits for the broker's acknowledgement (QoS 1/2). */
    public void publish(String topic, byte[] payload, int qos) {
        try {
            MqttMessage message = new MqttMessage(payload);
            message.setQos(qos);
            client.publish(topic, message);
        } catch (MqttException e) {
            throw new IllegalStateException("device " + id + " cannot publish to " + topic + ": " + e, e);
        }
    }

    public void publish(String topic, String payload, int qos) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos);
    }

    public MqttClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close();
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
