package io.edgebridge.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The connections readiness depends on. */
@ApplicationScoped
public class BrokerConnections {

    /** What readiness watches of one telemetry session (one per shard this replica owns). */
    public record TelemetrySession(
            String clientId, ConnectionStatus connection, WindowStatus window, DeliveryStatus delivery) {}

    private final Map<String, TelemetrySession> sessions = new ConcurrentSkipListMap<>();
    /** Down until the telemetry sessions have been started: no session yet must not read as ready. */
    private final ConnectionStatus notStarted = new ConnectionStatus("mqtt");

    private volatile boolean started;
    private final ConnectionStatus mqtt = ConnectionStatus.of("mqtt", () -> {
        List<ConnectionStatus> parts =
                sessions.values().stream().map(TelemetrySession::connection).toList();
        return started ? parts : List.of(notStarted);
    });
    private final ConnectionStatus kafka = new ConnectionStatus("kafka");
    private final ConnectionStatus mqttCommands = new ConnectionStatus("mqtt-commands");

    /** The telemetry sessions' connections together: up while every one is (also with none: no shard owned). */
    public ConnectionStatus mqtt() {
        return mqtt;
    }

    public ConnectionStatus kafka() {
        return kafka;
    }

    /** The command publisher's own MQTT connection. */
    public ConnectionStatus mqttCommands() {
        return mqttCommands;
    }

    /**
     * The telemetry side has started: from now on the sessions it holds decide (with none, as for a replica that
     * owns no shard, it is up).
     */
    public void telemetryStarted() {
        started = true;
    }

    /** A telemetry session starts: readiness watches it from now on. */
    public TelemetrySession openSession(String clientId) {
        TelemetrySession session =
                new TelemetrySession(clientId, mqtt.part(clientId), new WindowStatus(), new DeliveryStatus());
        sessions.put(clientId, session);
        return session;
    }

    /** A telemetry session ended (its shard moved on): readiness no longer waits for it. */
    public void closeSession(String clientId) {
        sessions.remove(clientId);
    }

    public Collection<TelemetrySession> sessions() {
        return sessions.values();
    }

    public List<ConnectionStatus> all() {
        return List.of(mqtt, kafka, mqttCommands);
    }
}
