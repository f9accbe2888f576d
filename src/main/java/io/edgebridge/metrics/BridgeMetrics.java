package io.edgebridge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The bridge's metric catalog. Labels are rule names and reason codes, both bounded by configuration;
 * never device ids or topics.
 */
@ApplicationScoped
public class BridgeMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer latency;
    private final AtomicInteger mqttConnected = new AtomicInteger();
    private final Counter mqttReconnects;
    private final Counter redeliveries;
    private final Counter windowOverflows;

    public BridgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("edgebridge.telemetry.latency")
                .description("Time from MQTT receive to the Kafka acknowledgement of the record")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        Gauge.builder("edgebridge.mqtt.connected", mqttConnected, AtomicInteger::get)
                .description("1 while the MQTT session is connected and subscribed, else 0")
                .register(registry);
        this.mqttReconnects = Counter.builder("edgebridge.mqtt.reconnects")
                .description("MQTT connections lost or reopened").register(registry);
        this.redeliveries = Counter.builder("edgebridge.telemetry.redelivery.requested")
                .description("Messages Kafka refused; left unacknowledged for the broker to redeliver")
                .register(registry);
        this.windowOverflows = Counter.builder("edgebridge.telemetry.window.overflows")
                .description("Times the broker sent more than bridge.telemetry.max-in-flight unacknowledged messages")
                .register(registry);
    }

    public void received(String rule) {
        counter("edgebridge.telemetry.received", "MQTT messages received, by mapping rule", "rule", rule).increment();
    }

    public void forwarded(String rule, long receivedAtNanos) {
        counter("edgebridge.telemetry.forwarded", "Telemetry events acknowledged by Kafka, by mapping rule",
                "rule", rule).increment();
        latency.record(System.nanoTime() - receivedAtNanos, TimeUnit.NANOSECONDS);
    }

    public void deadLettered(String rule, String reason) {
        counters.computeIfAbsent("edgebridge.telemetry.dead.lettered|" + rule + "|" + reason,
                k -> Counter.builder("edgebridge.telemetry.dead.lettered")
                        .description("Messages written to the dead-letter topic, by mapping rule and reason")
                        .tag("rule", rule).tag("reason", reason).register(registry))
                .increment();
    }

    public void dropped(String reason) {
        counter("edgebridge.telemetry.dropped", "QoS 0 messages dropped (at-most-once), by reason",
                "reason", reason).increment();
    }

    public void redeliveryRequested() {
        redeliveries.increment();
    }

    public void windowOverflow() {
        windowOverflows.increment();
    }

    public void mqttConnected(boolean connected) {
        mqttConnected.set(connected ? 1 : 0);
    }

    public void mqttReconnect() {
        mqttReconnects.increment();
    }

    public void inFlightGauge(IntSupplier inFlight) {
        // Micrometer holds gauge state weakly; the supplier is a lambda nobody else references.
        Gauge.builder("edgebridge.telemetry.in.flight", inFlight, IntSupplier::getAsInt)
                .description("Telemetry messages received and not yet acknowledged by Kafka")
                .strongReference(true)
                .register(registry);
    }

    private Counter counter(String name, String help, String tag, String value) {
        return counters.computeIfAbsent(name + "|" + value,
                k -> Counter.builder(name).description(help).tag(tag, value).register(registry));
    }
}
