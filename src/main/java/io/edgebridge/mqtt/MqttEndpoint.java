package io.edgebridge.mqtt;

import io.edgebridge.mqtt.client.ConnectSettings;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;

/**
 * Where and how one MQTT connection connects: the broker, what CONNECT says, TCP and TLS (with the TLS files read
 * again for each attempt), the connect time-out, the largest packet accepted and the reconnect backoff.
 */
record MqttEndpoint(
        String host,
        int port,
        ConnectSettings settings,
        NetClientOptions tcp,
        TlsFiles tls,
        Duration connectTimeout,
        int maxPacketBytes,
        Duration initialBackoff,
        Duration maxBackoff) {

    String address() {
        return host + ":" + port;
    }
}
