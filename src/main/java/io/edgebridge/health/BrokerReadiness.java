package io.edgebridge.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** One readiness check per broker connection, with the broker address, since when, and the last error. */
@ApplicationScoped
public class BrokerReadiness {

    @Produces
    @Readiness
    HealthCheck mqttBroker(BrokerConnections connections) {
        return () -> report("mqtt-broker", connections.mqtt());
    }

    @Produces
    @Readiness
    HealthCheck kafkaBroker(BrokerConnections connections) {
        return () -> report("kafka-broker", connections.kafka());
    }

    @Produces
    @Readiness
    HealthCheck mqttCommandPublisher(BrokerConnections connections) {
        return () -> report("mqtt-command-publisher", connections.mqttCommands());
    }

    static HealthCheckResponse report(String name, ConnectionStatus status) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(name)
                .status(status.isUp())
                .withData("broker", status.endpoint())
                .withData("since", status.since().toString());
        if (status.lastError() != null) {
            builder.withData("lastError", status.lastError());
        }
        return builder.build();
    }
}
