package io.edgebridge.mqtt;

import io.edgebridge.cluster.ShardOwnership;
import io.edgebridge.config.BridgeConfig;
import io.edgebridge.config.MqttConfig;
import io.edgebridge.health.BrokerConnections;
import io.edgebridge.metrics.TelemetryMetrics;
import io.edgebridge.telemetry.FilterChange;
import io.edgebridge.telemetry.RulesInForce;
import io.edgebridge.telemetry.SubscriptionChanges;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.health.HealthReporter;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.jboss.logging.Logger;

/**
 * The telemetry source: a persistent MQTT session whose PUBACKs wait for Kafka. The stock MQTT connector
 * acknowledges on receipt, so a Kafka outage or a crash would lose what the broker already handed over.
 * Subscriptions come from the mapping rules, connection settings from {@code bridge.mqtt.*}.
 */
@ApplicationScoped
@Connector(EdgeMqttConnector.NAME)
public class EdgeMqttConnector implements InboundConnector, HealthReporter, SubscriptionChanges {

    public static final String NAME = "edge-mqtt";

    @Inject
    Vertx vertx;

    @Inject
    BridgeConfig config;

    @Inject
    RulesInForce rules;

    @Inject
    BrokerConnections connections;

    @Inject
    TelemetryMetrics metrics;

    @Inject
    ShardOwnership ownership;

    private final List<TelemetrySessions> channels = new CopyOnWriteArrayList<>();

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config channel) {
        MqttConfig mqtt = config.mqtt();
        String channelName =
                channel.getOptionalValue("channel-name", String.class).orElse("telemetry");
        if (!mqtt.tls().enabled()) {
            Logger.getLogger(EdgeMqttConnector.class)
                    .warnf(
                            "Channel %s connects to MQTT %s:%d over plain TCP (bridge.mqtt.tls.enabled=false):"
                                    + " credentials and telemetry travel unencrypted",
                            channelName, mqtt.host(), mqtt.port());
        }
        TelemetrySessions sessions = new TelemetrySessions(vertx, config, rules, connections, metrics, ownership);
        metrics.inFlightGauge(sessions::inFlight);
        channels.add(sessions);
        return sessions.stream();
    }

    /** A reload of the rules file changed the filters: the sessions follow, without reconnecting. */
    @Override
    public CompletionStage<Void> apply(FilterChange change) {
        List<CompletableFuture<Void>> all =
                channels.stream().map(sessions -> sessions.follow(change)).toList();
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    @Override
    public HealthReport getLiveness() {
        HealthReport.HealthReportBuilder report = HealthReport.builder();
        for (TelemetrySessions sessions : channels) {
            Throwable failure = sessions.failure();
            report.add(new HealthReport.ChannelInfo(
                    "mqtt-telemetry", failure == null, failure == null ? null : failure.toString()));
        }
        return report.build();
    }

    /** SIGTERM: let in-flight messages reach Kafka and be acknowledged before the connections close. */
    void drain(@Observes @Priority(1) ShutdownEvent event) {
        Duration timeout = config.telemetry().drainTimeout();
        List<CompletableFuture<Void>> drains =
                channels.stream().map(s -> s.finishAll(timeout)).toList();
        try {
            CompletableFuture.allOf(drains.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Logger.getLogger(EdgeMqttConnector.class).warnf("Drain did not finish: %s", e);
        }
    }

    @PreDestroy
    void stop() {
        channels.forEach(TelemetrySessions::stopAll);
    }
}
