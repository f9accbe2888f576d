package io.edgebridge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The telemetry flow's metrics (docs/operations.md): messages by mapping rule, their fate (forwarded, filtered,
 * dead-lettered, dropped), transforms, rules reloads and the in-flight window. Labels are rule names and reason
 * codes, bounded by configuration; never device ids or topics. Started with the application, so its series exist
 * from the first scrape.
 */
@Startup
@ApplicationScoped
public class TelemetryMetrics {

    private final OwnedMeters meters;
    private final Timer latency;
    private final Counter redeliveries;
    private final Counter windowOverflows;
    private final Counter readPauses;

    public TelemetryMetrics(MeterRegistry registry) {
        this.meters = new OwnedMeters(registry);
        this.latency = meters.own(Timer.builder("edgebridge.telemetry.latency")
                .description("Time from MQTT receive to the Kafka acknowledgement of the record")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry));
        this.redeliveries = meters.own(Counter.builder("edgebridge.telemetry.redelivery.requested")
                .description("Messages Kafka refused; left unacknowledged for the broker to redeliver")
                .register(registry));
        this.windowOverflows = meters.own(Counter.builder("edgebridge.telemetry.window.overflows")
                .description("Times the broker sent more than bridge.telemetry.max-in-flight unacknowledged messages")
                .register(registry));
        this.readPauses = meters.own(Counter.builder("edgebridge.telemetry.reads.paused")
                .description("Times reading from the MQTT broker paused because the in-flight window was full")
                .register(registry));
    }

    /** Meters must not outlive the beans they read. */
    @PreDestroy
    void removeMeters() {
        meters.removeAll();
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
        meters.gauge(
                "edgebridge.telemetry.in.flight",
                "Telemetry messages received and not yet acknowledged by Kafka and to the broker",
                inFlight,
                IntSupplier::getAsInt);
    }

    private Counter receivedCounter(String rule) {
        return meters.counter("edgebridge.telemetry.received", "MQTT messages received, by mapping rule", "rule", rule);
    }

    private Counter forwardedCounter(String rule) {
        return meters.counter(
                "edgebridge.telemetry.forwarded",
                "Telemetry events acknowledged by Kafka, by mapping rule",
                "rule",
                rule);
    }

    private Counter filteredCounter(String rule) {
        return meters.counter(
                "edgebridge.telemetry.filtered",
                "Messages a rule's transform did not forward on purpose ('when' false, or no records), by mapping"
                        + " rule; acknowledged, not dead-lettered",
                "rule",
                rule);
    }

    private Counter recordsCounter(String rule) {
        return meters.counter(
                "edgebridge.transform.records",
                "Kafka records written for the forwarded messages of a rule with a transform (a split message writes"
                        + " several), by mapping rule",
                "rule",
                rule);
    }

    private Timer transformTimer(String rule) {
        return meters.series(
                "edgebridge.transform|" + rule,
                registry -> Timer.builder("edgebridge.transform")
                        .description("Time a rule's transform took for one message, by mapping rule")
                        .tag("rule", rule)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry));
    }

    private Counter rulesReloadCounter(String result) {
        return meters.counter(
                "edgebridge.rules.reloads",
                "Changes of the rules file seen while running, by result: applied, or refused (the rules before it"
                        + " stay)",
                "result",
                result);
    }

    private Counter droppedCounter(String reason) {
        return meters.counter(
                "edgebridge.telemetry.dropped", "QoS 0 messages dropped (at-most-once), by reason", "reason", reason);
    }

    private Counter deadLetterCounter(String rule, String reason) {
        return meters.series(
                "edgebridge.telemetry.dead.lettered|" + rule + "|" + reason,
                registry -> Counter.builder("edgebridge.telemetry.dead.lettered")
                        .description("Messages written to the dead-letter topic, by mapping rule and reason")
                        .tag("rule", rule)
                        .tag("reason", reason)
                        .register(registry));
    }
}
