package io.edgebridge.mqtt;

import io.edgebridge.config.BridgeConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Turns the {@code bridge.mqtt.*} contract into Vert.x MQTT client options. */
final class MqttClientOptionsFactory {

    static final String ONLINE = "online";
    static final String OFFLINE = "offline";

    private MqttClientOptionsFactory() {}

    static String statusTopic(BridgeConfig.Mqtt mqtt, String clientId) {
        return mqtt.statusTopic().replace("{clientId}", clientId);
    }

    /**
     * The command publisher's connection: its own client id, a clean session (it subscribes to nothing, and it
     * republishes what was unacknowledged itself) and no last will (the telemetry session carries the status).
     */
    static MqttClientOptions forCommands(BridgeConfig.Mqtt mqtt, int window) {
        MqttClientOptions options = create(mqtt, mqtt.clientId() + "-commands");
        // With no will, its QoS and retain flag must be 0 too (MQTT 3.1.1, 3.1.2-13), or the broker closes the
        // connection.
        options.setCleanSession(true)
                .setWillFlag(false)
                .setWillQoS(0)
                .setWillRetain(false)
                .setWillTopic(null)
                .setWillMessageBytes(null);
        options.setAutoAck(true);
        // Vert.x refuses publishes beyond this many unacknowledged ones; the publisher never sends more.
        options.setMaxInflightQueue(window);
        return options;
    }

    /** The password from {@code bridge.mqtt.password} or the file {@code bridge.mqtt.password-file} names. */
    static Optional<String> password(BridgeConfig.Mqtt mqtt) {
        if (mqtt.passwordFile().isEmpty()) {
            return mqtt.password();
        }
        Path file = mqtt.passwordFile().get();
        try {
            // Files written with echo or an editor end with a line break that is not part of the password.
            return Optional.of(Files.readString(file).replaceFirst("\\r?\\n$", ""));
        } catch (IOException e) {
            // The message names the file only, never its content.
            throw new UncheckedIOException(
                    "bridge.mqtt.password-file " + file + " cannot be read: "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }

    static MqttClientOptions create(BridgeConfig.Mqtt mqtt, String clientId) {
        MqttClientOptions options = new MqttClientOptions()
                .setClientId(clientId)
                .setCleanSession(mqtt.cleanSession())
                .setKeepAliveInterval((int) Math.max(1, mqtt.keepAlive().toSeconds()))
                .setAutoKeepAlive(true)
                .setMaxMessageSize(mqtt.maxMessageBytes());
        // PUBACK is sent by the bridge once Kafka has the record, not by the client on receipt.
        options.setAutoAck(false);
        options.setConnectTimeout((int) mqtt.connectTimeout().toMillis());
        // The broker publishes this if the bridge vanishes without a DISCONNECT (crash, network loss).
        options.setWillFlag(true)
                .setWillTopic(statusTopic(mqtt, clientId))
                .setWillMessageBytes(Buffer.buffer(OFFLINE))
                .setWillRetain(true)
                .setWillQoS(1);
        mqtt.username().ifPresent(options::setUsername);
        password(mqtt).ifPresent(options::setPassword);
        BridgeConfig.Tls tls = mqtt.tls();
        if (tls.enabled()) {
            options.setSsl(true);
            // The Vert.x default is no hostname verification; a bridge must know it talks to its broker.
            options.setHostnameVerificationAlgorithm(tls.verifyHostname() ? "HTTPS" : "");
            // The CA and client certificate are set by TlsFiles for each connection, as they are then.
        }
        return options;
    }
}
