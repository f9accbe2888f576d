package io.edgebridge.telemetry;

import io.edgebridge.config.BridgeConfig;
import io.edgebridge.config.TelemetryConfig;
import io.edgebridge.registry.DeviceRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the pure router from the configuration, the rules in force and the live registry. */
@ApplicationScoped
public class TelemetryRouterProducer {

    @Produces
    @Singleton
    TelemetryRouter telemetryRouter(RulesReloader rules, DeviceRegistry registry, BridgeConfig config) {
        TelemetryConfig telemetry = config.telemetry();
        return new TelemetryRouter(
                rules::current,
                registry::directory,
                telemetry.unknownDevices(),
                telemetry.maxPayloadBytes(),
                config.commands().maxIdLength(),
                telemetry.deadLetterTopic());
    }
}
