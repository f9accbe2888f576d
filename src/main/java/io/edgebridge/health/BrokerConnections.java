package io.edgebridge.health;

import jakarta.enterprise.context.ApplicationScoped;

/** The two connections readiness depends on. */
@ApplicationScoped
public class BrokerConnections {

    private final ConnectionStatus mqtt = new ConnectionStatus("mqtt");
    private final ConnectionStatus kafka = new ConnectionStatus("kafka");

    public ConnectionStatus mqtt() {
        return mqtt;
    }

    public ConnectionStatus kafka() {
        return kafka;
    }
}
