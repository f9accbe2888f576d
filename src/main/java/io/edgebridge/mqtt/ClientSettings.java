package io.edgebridge.mqtt;

import io.edgebridge.config.BridgeConfig;
import io.edgebridge.config.MqttConfig;
import io.edgebridge.mqtt.client.ConnectSettings;
import io.edgebridge.mqtt.client.MqttProtocol;
import io.edgebridge.mqtt.client.Will;
import io.vertx.core.net.NetClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Turns the {@code bridge.mqtt.*} contract into what the MQTT client connects with. */
final class ClientSettings {

    static final String ONLINE = "online";
    static final String OFFLINE = "offline";

    private ClientSettings() {}

    static String statusTopic(MqttConfig mqtt, String clientId) {
        return mqtt.statusTopic().replace("{clientId}", clientId);
    }

    static MqttProtocol protocol(MqttConfig mqtt) {
        return MqttProtocol.of(mqtt.protocol()).orElseThrow();
    }

    /**
     * A telemetry session: a persistent session (unless bridge.mqtt.clean-session), the retained last will
     * {@code offline} on the status topic, and, with MQTT 5, {@code receiveMaximum} (the window) as the most the
     * broker should send unacknowledged.
     */
    static ConnectSettings telemetry(MqttConfig mqtt, String clientId, int receiveMaximum) {
        Will offline = new Will(statusTopic(mqtt, clientId), OFFLINE.getBytes(StandardCharsets.UTF_8), 1, true);
        long expiry = mqtt.cleanSession()
                ? 0
                : mqtt.sessionExpiry().map(d -> d.toSeconds()).orElse(ConnectSettings.NEVER_EXPIRES);
        return settings(mqtt, clientId, mqtt.cleanSession(), expiry, Math.min(receiveMaximum, 65_535), offline);
    }

    /**
     * The command publisher's connection: its own client id, a clean session that ends with the connection (it
     * subscribes to nothing, and republishes what was unacknowledged itself) and no will (the telemetry session
     * carries the status).
     */
    static ConnectSettings commands(MqttConfig mqtt, String clientId) {
        return settings(mqtt, clientId, true, 0, 65_535, null);
    }

    /**
     * Every replica publishes commands on a connection of its own: {@code <client-id>-commands}, with the member id
     * when several replicas run (one client id for all would have them take the connection from each other).
     */
    static String commandsClientId(BridgeConfig config, String memberId) {
        String base = config.mqtt().clientId() + "-commands";
        return config.cluster().enabled() ? base + "-" + memberId : base;
    }

    private static ConnectSettings settings(
            MqttConfig mqtt, String clientId, boolean cleanStart, long expiry, int receiveMaximum, Will will) {
        return new ConnectSettings(
                protocol(mqtt),
                clientId,
                mqtt.username().orElse(null),
                password(mqtt).map(p -> p.getBytes(StandardCharsets.UTF_8)).orElse(null),
                (int) Math.max(1, mqtt.keepAlive().toSeconds()),
                cleanStart,
                expiry,
                receiveMaximum,
                mqtt.maxMessageBytes(),
                will);
    }

    /** TCP and TLS; the CA and client certificate are set by {@link TlsFiles} for each attempt, as they are then. */
    static NetClientOptions tcp(MqttConfig mqtt) {
        NetClientOptions options = new NetClientOptions()
                .setConnectTimeout((int) mqtt.connectTimeout().toMillis())
                .setTcpNoDelay(true);
        if (mqtt.tls().enabled()) {
            // A bridge must know it talks to its broker: the broker certificate's name is checked by default.
            options.setSsl(true).setHostnameVerificationAlgorithm(mqtt.tls().verifyHostname() ? "HTTPS" : "");
        }
        return options;
    }

    /** The password from {@code bridge.mqtt.password} or the file {@code bridge.mqtt.password-file} names. */
    static Optional<String> password(MqttConfig mqtt) {
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
}
