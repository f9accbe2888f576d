package io.edgebridge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The command flow's metrics (docs/operations.md): status events, publish latency, tracking and the status view.
 * Started with the application, so its series exist from the first scrape.
 */
@Startup
@ApplicationScoped
public class CommandMetrics {

    private final OwnedMeters meters;
    private final Counter forgotten;
    private final Counter viewApplied;

    public CommandMetrics(MeterRegistry registry) {
        this.meters = new OwnedMeters(registry);
        this.forgotten = meters.own(Counter.builder("edgebridge.commands.forgotten")
                .description("Published, unanswered commands the bridge let go beyond bridge.commands.max-tracked:"
                        + " no timed-out event comes for them")
                .register(registry));
        this.viewApplied = meters.own(Counter.builder("edgebridge.commands.view.applied")
                .description("Status events the command status view read and applied: other replicas', and those"
                        + " from before this replica started")
                .register(registry));
    }

    /** Meters must not outlive the beans they read. */
    @PreDestroy
    void removeMeters() {
        meters.removeAll();
    }

    /** One series per status, registered up front so rates start at zero. */
    public void registerCommandSeries(List<String> statuses) {
        statuses.forEach(this::commandCounter);
        commandLatency();
    }

    public void command(String status) {
        commandCounter(status).increment();
    }

    public void commandForgotten() {
        forgotten.increment();
    }

    /** Time from the command record's timestamp (or the REST call) to the broker's acknowledgement. */
    public void commandPublished(Duration latency) {
        commandLatency().record(latency.isNegative() ? Duration.ZERO : latency);
    }

    public void commandsViewApplied(int events) {
        viewApplied.increment(events);
    }

    public void commandsViewLagGauge(LongSupplier lag) {
        meters.gauge(
                "edgebridge.commands.view.lag",
                "Status and response records the command status view has yet to read",
                lag,
                LongSupplier::getAsLong);
    }

    public void commandsInFlightGauge(IntSupplier inFlight) {
        meters.gauge(
                "edgebridge.commands.in.flight",
                "Commands taken from Kafka and not yet finished (published and acknowledged, or refused)",
                inFlight,
                IntSupplier::getAsInt);
    }

    private Counter commandCounter(String status) {
        return meters.counter(
                "edgebridge.commands",
                "Command status events, by status (accepted, published, expired," + " rejected, responded, timed-out)",
                "status",
                status);
    }

    private Timer commandLatency() {
        return meters.series(
                "edgebridge.command.publish.latency",
                registry -> Timer.builder("edgebridge.command.publish.latency")
                        .description("Time from the command record's timestamp to the MQTT broker's acknowledgement")
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry));
    }
}
