package io.edgebridge.metrics;

import io.edgebridge.health.BrokerConnections;
import io.edgebridge.health.ConnectionStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.ToDoubleFunction;

/**
 * The bridge's metric catalog (docs/operations.md, "Metrics"): the broker connections and the gauges other
 * packages register here; each flow's own series are in {@link TelemetryMetrics}, {@link CommandMetrics} and
 * {@link ClusterMetrics}. Labels are rule names, reason codes and broker names, all bounded by configuration;
 * never device ids or topics.
 */
@ApplicationScoped
public class BridgeMetrics {

    private final OwnedMeters meters;

    public BridgeMetrics(MeterRegistry registry) {
        this.meters = new OwnedMeters(registry);
    }

    /** Registers a gauge whose state lives as long as this application; it is removed on shutdown. */
    public <T> void gauge(String name, String help, T state, ToDoubleFunction<T> value) {
        meters.gauge(name, help, state, value);
    }

    /** Meters must not outlive the beans they read (a restarted application would see stale, ignored gauges). */
    @PreDestroy
    void removeMeters() {
        meters.removeAll();
    }

    /** Broker connection state and losses, one series per broker. */
    void registerBrokerSeries(@Observes StartupEvent event, BrokerConnections connections) {
        MeterRegistry registry = meters.registry();
        for (ConnectionStatus status : connections.all()) {
            meters.own(Gauge.builder("edgebridge.broker.connected", status, s -> s.isUp() ? 1 : 0)
                    .description("1 while the connection to the broker is up (MQTT: connected and subscribed)")
                    .tag("broker", status.name())
                    .strongReference(true)
                    .register(registry));
            meters.own(FunctionCounter.builder("edgebridge.broker.disconnects", status, ConnectionStatus::losses)
                    .description("Times the connection to the broker was lost")
                    .tag("broker", status.name())
                    .register(registry));
        }
    }
}
