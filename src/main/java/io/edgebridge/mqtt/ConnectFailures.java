package io.edgebridge.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.mqtt.MqttConnectionException;
import javax.net.ssl.SSLException;

/** Says why a connection attempt failed in words an operator can act on; never includes a secret. */
final class ConnectFailures {

    private ConnectFailures() {
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
        if (root instanceof SSLException || root instanceof java.security.cert.CertificateException) {
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
            case CONNECTION_REFUSED_SERVER_UNAVAILABLE, CONNECTION_REFUSED_SERVER_UNAVAILABLE_5 ->
                "server unavailable";
            default -> code.name();
        };
    }
}
