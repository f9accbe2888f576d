package io.edgebridge.health;

import io.edgebridge.config.BridgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/** One readiness check per broker connection, with the broker address, since when, and the last error. */
@ApplicationScoped
public class BrokerReadiness {

    private static final Logger LOG = Logger.getLogger(BrokerReadiness.class);

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

    /**
     * DOWN while the telemetry window has been full for longer than {@code bridge.health.window-full-timeout}:
     * the bridge has stopped taking telemetry (Kafka too slow or refusing), even if both connections are up.
     */
    @Produces
    @Readiness
    HealthCheck telemetryWindow(BrokerConnections connections, BridgeConfig config) {
        return () -> {
            Duration limit = config.health().windowFullTimeout();
            long now = System.nanoTime();
            int inFlight = 0;
            int capacity = 0;
            WindowStatus stalled = null;
            for (BrokerConnections.TelemetrySession session : connections.sessions()) {
                WindowStatus window = session.window();
                inFlight += window.inFlight();
                capacity += window.capacity();
                if (stalled == null && window.stalled(limit, now)) {
                    stalled = window;
                }
            }
            if ((stalled != null) != stalledReported) {
                stalledReported = stalled != null;
                if (stalled != null) {
                    LOG.warnf(
                            "Telemetry paused: the in-flight window (%d of %d) has been full since %s, longer than"
                                    + " bridge.health.window-full-timeout=%s; readiness reports DOWN",
                            stalled.inFlight(), stalled.capacity(), stalled.fullSince(), limit);
                } else {
                    LOG.infof("Telemetry resumed: the in-flight window drains again (%d of %d)", inFlight, capacity);
                }
            }
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("telemetry-window")
                    .status(stalled == null)
                    .withData("inFlight", inFlight)
                    .withData("maxInFlight", capacity);
            if (stalled != null) {
                builder.withData("fullSince", stalled.fullSince().toString());
            }
            return builder.build();
        };
    }

    private volatile boolean stalledReported;
    private volatile boolean undeliveredReported;

    /**
     * DOWN while a probe the broker accepted has not come back within {@code bridge.health.probe-timeout}: the
     * session receives nothing although the broker holds messages for it.
     */
    @Produces
    @Readiness
    HealthCheck mqttDelivery(BrokerConnections connections, BridgeConfig config) {
        return () -> {
            Duration limit = config.health().probeTimeout();
            long now = System.nanoTime();
            DeliveryStatus delivery = new DeliveryStatus(); // with no session: nothing to wait for
            boolean stalled = false;
            for (BrokerConnections.TelemetrySession session : connections.sessions()) {
                if (!stalled) {
                    delivery = session.delivery();
                    stalled = delivery.stalled(limit, now);
                }
            }
            if (stalled != undeliveredReported) {
                undeliveredReported = stalled;
                if (stalled) {
                    LOG.warnf(
                            "MQTT delivery stalled: a probe sent at %s has not come back within"
                                    + " bridge.health.probe-timeout=%s; readiness reports DOWN",
                            delivery.outstandingSince(), limit);
                } else {
                    LOG.infof("MQTT delivery resumed: the probes come back again");
                }
            }
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("mqtt-delivery")
                    .status(!stalled)
                    .withData("probing", delivery.enabled())
                    .withData("lastRoundTripMs", delivery.lastRoundTripMillis());
            if (delivery.outstandingSince() != null) {
                builder.withData("probeOutSince", delivery.outstandingSince().toString());
            }
            return builder.build();
        };
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
