package io.edgebridge.mqtt;

import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;

/**
 * Where and how one MQTT connection connects: the broker, the client options (client id, credentials, will), the
 * TLS files read for each attempt, and the reconnect backoff.
 */
record MqttEndpoint(
        String host, int port, MqttClientOptions options, TlsFiles tls, Duration initialBackoff, Duration maxBackoff) {

    String address() {
        return host + ":" + port;
    }
}
