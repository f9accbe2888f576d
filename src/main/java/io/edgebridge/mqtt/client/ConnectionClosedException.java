package io.edgebridge.mqtt.client;

/** The connection closed before the broker answered; the cause, when known, says why it closed. */
public final class ConnectionClosedException extends RuntimeException {

    public ConnectionClosedException(Throwable cause) {
        super(
                cause == null ? "the MQTT connection closed" : "the MQTT connection closed: " + cause.getMessage(),
                cause);
    }
}
