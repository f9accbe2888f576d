package io.edgebridge.mqtt;

import io.edgebridge.mqtt.client.ConnectRefusedException;
import io.edgebridge.mqtt.client.ConnectionClosedException;
import io.edgebridge.mqtt.client.MqttProtocol;
import io.vertx.core.net.NetClientOptions;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/** Says why a connection attempt failed in words an operator can act on; never includes a secret. */
final class ConnectFailures {

    private ConnectFailures() {}

    /**
     * A failed connection attempt. A broker that wants a client certificate just closes a TLS connection without
     * one, which says nothing by itself.
     */
    static String describeAttempt(Throwable failure, NetClientOptions tcp) {
        String reason = describe(failure);
        if (tcp.isSsl()
                && tcp.getKeyCertOptions() == null
                && failure instanceof ConnectionClosedException
                && failure.getCause() == null) {
            return "the broker closed the TLS connection before accepting it; if it requires client certificates"
                    + " (mutual TLS), set bridge.mqtt.tls.cert-file and bridge.mqtt.tls.key-file";
        }
        return reason;
    }

    static String describe(Throwable failure) {
        if (failure instanceof ConnectRefusedException refused) {
            return "broker refused the connection: " + refusal(refused);
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

    /** MQTT 3.1.1 return codes (3.2.2.3) and MQTT 5 reason codes (3.2.2.2) in words. */
    private static String refusal(ConnectRefusedException refused) {
        int code = refused.code();
        String detail = refused.protocol() == MqttProtocol.V3_1_1
                ? switch (code) {
                    case 1 -> "the broker does not speak MQTT 3.1.1 (set bridge.mqtt.protocol)";
                    case 2 -> "client identifier rejected (check bridge.mqtt.client-id)";
                    case 3 -> "server unavailable";
                    case 4 -> badCredentials();
                    case 5 -> notAuthorized();
                    default -> null;
                }
                : switch (code) {
                    // A broker that knows only MQTT 3.1.1 answers a version-5 CONNECT with its own code 1.
                    case 0x01, 0x84 -> "the broker does not speak MQTT 5 (set bridge.mqtt.protocol=3.1.1)";
                    case 0x85 -> "client identifier rejected (check bridge.mqtt.client-id)";
                    case 0x86 -> badCredentials();
                    case 0x87 -> notAuthorized();
                    case 0x88, 0x89 -> "server unavailable or busy";
                    case 0x8A -> "banned";
                    case 0x95 -> "packet too large";
                    case 0x97 -> "quota exceeded";
                    case 0x9F -> "connection rate exceeded";
                    default -> null;
                };
        String code16 = String.format("0x%02X", code);
        return detail == null ? refused.getMessage() : detail + " (" + code16 + ")";
    }

    private static String badCredentials() {
        return "bad user name or password (check bridge.mqtt.username and bridge.mqtt.password)";
    }

    private static String notAuthorized() {
        return "not authorized (check bridge.mqtt.username, bridge.mqtt.password and the broker's ACL)";
    }
}
