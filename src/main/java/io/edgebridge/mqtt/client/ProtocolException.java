package io.edgebridge.mqtt.client;

/** The broker broke the protocol, or did not answer in time; the connection is closed. */
public final class ProtocolException extends RuntimeException {

    public ProtocolException(String message) {
        super(message);
    }
}
