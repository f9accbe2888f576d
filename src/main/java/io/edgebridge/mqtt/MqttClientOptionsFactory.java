package io.edgebridge.mqtt;

import io.edgebridge.config.BridgeConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClientOptions;

/** Turns the {@code bridge.mqtt.*} contract into Vert.x MQTT client options. */
final class MqttClientOptionsFactory {

    static final String ONLINE = "online";
    static final String OFFLINE = "offline";

    private MqttClientOptionsFactory() {
    }

    static String statusTopic(BridgeConfig.Mqtt mqtt, String clientId) {
        return mqtt.statusTopic().replace("{clientId}", clientId);
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
        mqtt.password().ifPresent(options::setPassword);
        BridgeConfig.Tls tls = mqtt.tls();
        if (tls.enabled()) {
            options.setSsl(true);
            // The Vert.x default is no hostname verification; a bridge must know it talks to its broker.
            options.setHostnameVerificationAlgorithm(tls.verifyHostname() ? "HTTPS" : "");
            tls.caFile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
            if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
                options.setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(tls.certFile().get().toString())
                        .setKeyPath(tls.keyFile().get().toString()));
            }
        }
        return options;
    }
}
