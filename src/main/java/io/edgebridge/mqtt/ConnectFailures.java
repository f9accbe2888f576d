package io.edgebridge.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttConnectionException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/** Says why a connection attempt failed in words an operator can act on; never includes a secret. */
final class ConnectFailures {

    private ConnectFailures() {}

    /**
     * A failed connection attempt: the connect result's cause, sharpened by what the connection reported before
     * it closed. A broker that wants a client certificate just closes a TLS connection without one.
     */
    static String describeAttempt(Throwable failure, Throwable seen, MqttClientOptions options) {
        if (seen != null && !(failure instanceof MqttConnectionException)) {
            String earlier = describe(seen);
            if (earlier.startsWith("TLS")) {
                return earlier;
            }
        }
        String reason = describe(failure);
        if (options.isSsl()
                && options.getKeyCertOptions() == null
                && !(failure instanceof MqttConnectionException)
                && !reason.startsWith("TLS")
                && "Closed".equalsIgnoreCase(reason.trim())) {
            return "the broker closed the TLS connection before accepting it; if it requires client certificates"
                    + " (mutual TLS), set bridge.mqtt.tls.cert-file and bridge.mqtt.tls.key-file";
        }
        return reason;
    }

    static String describe(Throwable failure) {
        if (failure instanceof MqttConnectionException refused) {
            return "broker refused the connection: " + refusal(refused.code());
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof SSLException) {
                break;
            }
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof SSLException
                && (message.contains("certificate_required")
                        || message.contains("bad_certificate")
                        || message.contains("unknown_ca"))) {
            return "TLS handshake failed: " + message + " (the broker wants a client certificate it trusts: set"
                    + " bridge.mqtt.tls.cert-file and bridge.mqtt.tls.key-file)";
        }
        if (root instanceof SSLException || root instanceof CertificateException) {
            return "TLS handshake failed: " + message
                    + " (check bridge.mqtt.tls.ca-file and that the broker certificate names bridge.mqtt.host)";
        }
        return message;
    }

    private static String refusal(MqttConnectReturnCode code) {
        return switch (code) {
            case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD ->
                "bad user name or password (check bridge.mqtt.username and bridge.mqtt.password)";
            case CONNECTION_REFUSED_NOT_AUTHORIZED, CONNECTION_REFUSED_NOT_AUTHORIZED_5 ->
                "not authorized (check bridge.mqtt.username, bridge.mqtt.password and the broker's ACL)";
            case CONNECTION_REFUSED_IDENTIFIER_REJECTED, CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID ->
                "client identifier rejected (check bridge.mqtt.client-id)";
            case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION -> "the broker does not speak MQTT 3.1.1";
            case CONNECTION_REFUSED_SERVER_UNAVAILABLE, CONNECTION_REFUSED_SERVER_UNAVAILABLE_5 -> "server unavailable";
            default -> code.name();
        };
    }
}
