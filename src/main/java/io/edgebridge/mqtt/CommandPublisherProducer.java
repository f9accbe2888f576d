package io.edgebridge.mqtt;

import io.edgebridge.cluster.ShardOwnership;
import io.edgebridge.config.BridgeConfig;
import io.edgebridge.config.MqttConfig;
import io.edgebridge.health.BrokerConnections;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** The command publisher's connection, on the same {@code bridge.mqtt.*} settings as telemetry. */
@ApplicationScoped
public class CommandPublisherProducer {

    @Produces
    @Singleton
    MqttCommandPublisher publisher(
            Vertx vertx, BridgeConfig config, BrokerConnections connections, ShardOwnership ownership) {
        MqttConfig mqtt = config.mqtt();
        int window = config.commands().maxInFlight();
        MqttEndpoint endpoint = new MqttEndpoint(
                mqtt.host(),
                mqtt.port(),
                ClientSettings.commands(mqtt, ClientSettings.commandsClientId(config, ownership.memberId())),
                ClientSettings.tcp(mqtt),
                new TlsFiles(mqtt.tls()),
                mqtt.connectTimeout(),
                mqtt.maxMessageBytes(),
                mqtt.reconnectInitialBackoff(),
                mqtt.reconnectMaxBackoff());
        MqttCommandPublisher publisher = new MqttCommandPublisher(vertx, endpoint, window, connections.mqttCommands());
        publisher.watchTlsFiles(mqtt.tls().reloadInterval());
        publisher.start();
        return publisher;
    }

    /** Connects at startup, so readiness reports the publisher's connection before the first command. */
    void connect(@Observes StartupEvent event, MqttCommandPublisher publisher) {
        publisher.pending();
    }

    /** SIGTERM: commands already handed over get their broker acknowledgement before the connection closes. */
    void drain(@Observes @Priority(2) ShutdownEvent event, MqttCommandPublisher publisher, BridgeConfig config) {
        try {
            publisher
                    .finishPendingAndStop(config.telemetry().drainTimeout())
                    .get(config.telemetry().drainTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Logger.getLogger(CommandPublisherProducer.class).warnf("Command drain did not finish: %s", e);
        }
    }

    void close(@Disposes MqttCommandPublisher publisher) {
        publisher.stop();
    }
}
