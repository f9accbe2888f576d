package io.edgebridge.config;

import static io.edgebridge.config.ConfigCheck.check;
import static io.edgebridge.config.ConfigCheck.readable;

/**
 * Checks the configuration's own values: the MQTT connection, TLS and secret files, telemetry limits, the registry.
 * What needs a flow's knowledge (topic names, templates, rules) is checked by that flow's setup
 * ({@code TelemetrySetup}, {@code CommandSetup}), which runs this first. Anything wrong stops startup naming the key.
 */
public final class BridgeSetup {

    private BridgeSetup() {}

    /** Cheap and without side effects: each flow's setup runs it, so whichever starts first refuses a bad value. */
    public static void validate(BridgeConfig config) {
        MqttConfig mqtt = config.mqtt();
        check(mqtt.port() > 0 && mqtt.port() < 65536, "bridge.mqtt.port", "must be 1-65535, is " + mqtt.port());
        check(!mqtt.host().isBlank(), "bridge.mqtt.host", "must not be empty");
        check(
                !mqtt.clientId().isBlank() && mqtt.clientId().length() <= 65535,
                "bridge.mqtt.client-id",
                "must be a non-empty string");
        check(
                mqtt.password().isEmpty() || mqtt.passwordFile().isEmpty(),
                "bridge.mqtt.password-file",
                "and bridge.mqtt.password are both set; set one of them");
        readable(mqtt.passwordFile(), "bridge.mqtt.password-file");
        check(
                (mqtt.password().isEmpty() && mqtt.passwordFile().isEmpty())
                        || mqtt.username().isPresent(),
                "bridge.mqtt.username",
                "is required when bridge.mqtt.password or bridge.mqtt.password-file is set");
        check(
                mqtt.protocol().equals("5") || mqtt.protocol().equals("3.1.1"),
                "bridge.mqtt.protocol",
                "must be 5 or 3.1.1, is '" + mqtt.protocol() + "'");
        check(
                mqtt.sessionExpiry()
                        .map(d -> !d.isNegative() && d.toSeconds() <= 0xFFFFFFFFL)
                        .orElse(true),
                "bridge.mqtt.session-expiry",
                "must be 0s to 4294967295s (about 136 years); leave it unset for a session that never expires");
        check(
                mqtt.keepAlive().toSeconds() > 0 && mqtt.keepAlive().toSeconds() <= 65535,
                "bridge.mqtt.keep-alive",
                "must be 1s-65535s");
        check(mqtt.maxMessageBytes() > 0, "bridge.mqtt.max-message-bytes", "must be positive");
        MqttTlsConfig tls = mqtt.tls();
        readable(tls.caFile(), "bridge.mqtt.tls.ca-file");
        readable(tls.certFile(), "bridge.mqtt.tls.cert-file");
        readable(tls.keyFile(), "bridge.mqtt.tls.key-file");
        check(
                tls.certFile().isPresent() == tls.keyFile().isPresent(),
                tls.certFile().isPresent() ? "bridge.mqtt.tls.key-file" : "bridge.mqtt.tls.cert-file",
                "client certificate and key are set together");
        TelemetryConfig telemetry = config.telemetry();
        check(
                telemetry.maxPayloadBytes() > 0 && telemetry.maxPayloadBytes() <= mqtt.maxMessageBytes(),
                "bridge.telemetry.max-payload-bytes",
                "must be positive and at most bridge.mqtt.max-message-bytes");
        check(telemetry.maxInFlight() > 0, "bridge.telemetry.max-in-flight", "must be positive");
        check(
                telemetry.maxInFlightBytes() >= telemetry.maxPayloadBytes(),
                "bridge.telemetry.max-in-flight-bytes",
                "must be at least bridge.telemetry.max-payload-bytes");
        check(
                telemetry.unknownDevices() == UnknownDevicePolicy.ACCEPT
                        || config.registryFile().isPresent(),
                "bridge.telemetry.unknown-devices",
                "is 'reject' but no bridge.registry-file is set: every device would be rejected");
        readable(config.rulesFile(), "bridge.rules-file");
        readable(config.registryFile(), "bridge.registry-file");
    }
}
