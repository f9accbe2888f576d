package io.edgebridge.metrics;

import io.edgebridge.health.BrokerConnections;
import io.edgebridge.health.ConnectionStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The bridge's metric catalog (docs/operations.md, "Metrics"). Labels are rule names, reason codes and broker
 * names, all bounded by configuration; never device ids or topics.
 */
@ApplicationScoped
public class BridgeMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Meter> meters = new ConcurrentHashMap<>();
    private final Timer latency;
    private final Counter redeliveries;
    private final Counter windowOverflows;
    private final Counter readPauses;
    private final Counter commandsForgotten;
    private final Counter commandsViewApplied;
    private final List<Meter> owned = new CopyOnWriteArrayList<>();

    public BridgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = own(Timer.builder("edgebridge.telemetry.latency")
                .description("Time from MQTT receive to the Kafka acknowledgement of the record")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry));
        this.redeliveries = own(Counter.builder("edgebridge.telemetry.redelivery.requested")
                .description("Messages Kafka refused; left unacknowledged for the broker to redeliver")
                .register(registry));
        this.windowOverflows = own(Counter.builder("edgebridge.telemetry.window.overflows")
                .description("Times the broker sent more than bridge.telemetry.max-in-flight unacknowledged messages")
                .register(registry));
        this.readPauses = own(Counter.builder("edgebridge.telemetry.reads.paused")
                .description("Times reading from the MQTT broker paused because the in-flight window was full")
                .register(registry));
        this.commandsForgotten = own(Counter.builder("edgebridge.commands.forgotten")
                .description("Published, unanswered commands the bridge let go beyond bridge.commands.max-tracked:"
                        + " no timed-out event comes for them")
                .register(registry));
        this.commandsViewApplied = own(Counter.builder("edgebridge.commands.view.applied")
                .description("Status events the command status view read and applied: other replicas', and those"
                        + " from before this replica started")
                .register(registry));
    }

    /** Registers a gauge whose state lives as long as this application; it is removed on shutdown. */
    public <T> void gauge(String name, String help, T state, ToDoubleFunction<T> value) {
        own(Gauge.builder(name, state, value)
                .description(help)
                .strongReference(true)
                .register(registry));
    }

    private <M extends Meter> M own(M meter) {
        owned.add(meter);
        return meter;
    }

    /** Meters must not outlive the beans they read (a restarted application would see stale, ignored gauges). */
    @PreDestroy
    void removeMeters() {
        owned.forEach(registry::remove);
        owned.clear();
        counters.clear();
        meters.clear();
    }

    /** Broker connection state and losses, one series per broker. */
    void registerBrokerSeries(@Observes StartupEvent event, BrokerConnections connections) {
        for (ConnectionStatus status : connections.all()) {
            own(Gauge.builder("edgebridge.broker.connected", status, s -> s.isUp() ? 1 : 0)
                    .description("1 while the connection to the broker is up (MQTT: connected and subscribed)")
                    .tag("broker", status.name())
                    .strongReference(true)
                    .register(registry));
            own(FunctionCounter.builder("edgebridge.broker.disconnects", status, ConnectionStatus::losses)
                    .description("Times the connection to the broker was lost")
                    .tag("broker", status.name())
                    .register(registry));
        }
    }

    /**
     * Registers a rule's series before its first message, so Prometheus sees them from the first scrape
     * (a counter that appears only at its first increment breaks {@code rate()}).
     */
    public void registerRule(String rule, boolean forwards, List<String> deadLetterReasons) {
        receivedCounter(rule);
        if (forwards) {
            forwardedCounter(rule);
        }
        deadLetterReasons.forEach(reason -> deadLetterCounter(rule, reason));
    }

    /** The series only a rule with a transform has: filtered messages, records written, the transform's time. */
    public void registerTransform(String rule) {
        filteredCounter(rule);
        recordsCounter(rule);
        transformTimer(rule);
    }

    public void registerDropReason(DropReason reason) {
        droppedCounter(reason.code());
    }

    public void received(String rule) {
        receivedCounter(rule).increment();
    }

    public void forwarded(String rule, long receivedAtNanos) {
        forwardedCounter(rule).increment();
        latency.record(System.nanoTime() - receivedAtNanos, TimeUnit.NANOSECONDS);
    }

    /** A message the rule's transform did not forward, on purpose: acknowledged, no dead letter. */
    public void filtered(String rule) {
        filteredCounter(rule).increment();
    }

    /** How long the rule's transform took for one message. */
    public void transformed(String rule, long nanos) {
        transformTimer(rule).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A forwarded message's records are all in Kafka: {@code records} of them. */
    public void transformRecords(String rule, int records) {
        recordsCounter(rule).increment(records);
    }

    /** The rules file changed and was applied, or refused (the rules before it stay). */
    public void rulesReloaded(boolean applied) {
        rulesReloadCounter(applied ? "applied" : "refused").increment();
    }

    /** Both outcomes of a rules reload, before the first. */
    public void registerRulesReloads() {
        rulesReloadCounter("applied");
        rulesReloadCounter("refused");
    }

    public void deadLettered(String rule, String reason) {
        deadLetterCounter(rule, reason).increment();
    }

    public void dropped(DropReason reason) {
        droppedCounter(reason.code()).increment();
    }

    public void redeliveryRequested() {
        redeliveries.increment();
    }

    public void windowOverflow() {
        windowOverflows.increment();
    }

    public void readsPaused() {
        readPauses.increment();
    }

    public void inFlightGauge(IntSupplier inFlight) {
        // Micrometer holds gauge state weakly by default; the supplier is a lambda nobody else references.
        gauge(
                "edgebridge.telemetry.in.flight",
                "Telemetry messages received and not yet acknowledged by Kafka and to the broker",
                inFlight,
                IntSupplier::getAsInt);
    }

    // ---- commands ----

    /** One series per status, registered up front so rates start at zero. */
    public void registerCommandSeries(List<String> statuses) {
        statuses.forEach(this::commandCounter);
        commandLatency();
    }

    public void command(String status) {
        commandCounter(status).increment();
    }

    public void commandForgotten() {
        commandsForgotten.increment();
    }

    /** Time from the command record's timestamp (or the REST call) to the broker's acknowledgement. */
    public void commandPublished(Duration latency) {
        commandLatency().record(latency.isNegative() ? Duration.ZERO : latency);
    }

    public void commandsViewApplied(int events) {
        commandsViewApplied.increment(events);
    }

    public void commandsViewLagGauge(LongSupplier lag) {
        gauge(
                "edgebridge.commands.view.lag",
                "Status and response records the command status view has yet to read",
                lag,
                LongSupplier::getAsLong);
    }

    public void commandsInFlightGauge(IntSupplier inFlight) {
        gauge(
                "edgebridge.commands.in.flight",
                "Commands taken from Kafka and not yet finished (published and acknowledged, or refused)",
                inFlight,
                IntSupplier::getAsInt);
    }

    private Counter commandCounter(String status) {
        return counter(
                "edgebridge.commands",
                "Command status events, by status (accepted, published, expired," + " rejected, responded, timed-out)",
                "status",
                status);
    }

    private Timer commandLatency() {
        return (Timer) meters.computeIfAbsent(
                "edgebridge.command.publish.latency",
                k -> own(Timer.builder("edgebridge.command.publish.latency")
                        .description("Time from the command record's timestamp to the MQTT broker's acknowledgement")
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry)));
    }

    private Counter receivedCounter(String rule) {
        return counter("edgebridge.telemetry.received", "MQTT messages received, by mapping rule", "rule", rule);
    }

    private Counter forwardedCounter(String rule) {
        return counter(
                "edgebridge.telemetry.forwarded",
                "Telemetry events acknowledged by Kafka, by mapping rule",
                "rule",
                rule);
    }

    private Counter filteredCounter(String rule) {
        return counter(
                "edgebridge.telemetry.filtered",
                "Messages a rule's transform did not forward on purpose ('when' false, or no records), by mapping"
                        + " rule; acknowledged, not dead-lettered",
                "rule",
                rule);
    }

    private Counter recordsCounter(String rule) {
        return counter(
                "edgebridge.transform.records",
                "Kafka records written for the forwarded messages of a rule with a transform (a split message writes"
                        + " several), by mapping rule",
                "rule",
                rule);
    }

    private Timer transformTimer(String rule) {
        return (Timer) meters.computeIfAbsent(
                "edgebridge.transform|" + rule,
                k -> own(Timer.builder("edgebridge.transform")
                        .description("Time a rule's transform took for one message, by mapping rule")
                        .tag("rule", rule)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry)));
    }

    private Counter rulesReloadCounter(String result) {
        return counter(
                "edgebridge.rules.reloads",
                "Changes of the rules file seen while running, by result: applied, or refused (the rules before it"
                        + " stay)",
                "result",
                result);
    }

    private Counter droppedCounter(String reason) {
        return counter(
                "edgebridge.telemetry.dropped", "QoS 0 messages dropped (at-most-once), by reason", "reason", reason);
    }

    private Counter deadLetterCounter(String rule, String reason) {
        return counters.computeIfAbsent(
                "edgebridge.telemetry.dead.lettered|" + rule + "|" + reason,
                k -> own(Counter.builder("edgebridge.telemetry.dead.lettered")
                        .description("Messages written to the dead-letter topic, by mapping rule and reason")
                        .tag("rule", rule)
                        .tag("reason", reason)
                        .register(registry)));
    }

    private Counter counter(String name, String help, String tag, String value) {
        return counters.computeIfAbsent(
                name + "|" + value,
                k -> own(Counter.builder(name).description(help).tag(tag, value).register(registry)));
    }
}
