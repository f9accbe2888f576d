package io.edgebridge.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The connections readiness depends on. */
@ApplicationScoped
public class BrokerConnections {

    private final ConnectionStatus mqtt = new ConnectionStatus("mqtt");
    private final ConnectionStatus kafka = new ConnectionStatus("kafka");
    private final ConnectionStatus mqttCommands = new ConnectionStatus("mqtt-commands");
    private final WindowStatus telemetryWindow = new WindowStatus();
    private final DeliveryStatus delivery = new DeliveryStatus();

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

    /** The telemetry session's in-flight window. */
    public WindowStatus telemetryWindow() {
        return telemetryWindow;
    }

    /** Whether the broker still delivers to the telemetry session (its probes come back). */
    public DeliveryStatus delivery() {
        return delivery;
    }

    public List<ConnectionStatus> all() {
        return List.of(mqtt, kafka, mqttCommands);
    }
}
