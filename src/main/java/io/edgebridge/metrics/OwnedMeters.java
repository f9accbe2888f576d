package io.edgebridge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The meters one metrics bean registered: a labelled series is registered once and reused, and all of them leave
 * the registry with the bean (a restarted application would otherwise see stale, ignored gauges).
 */
final class OwnedMeters {

    private final MeterRegistry registry;
    private final Map<String, Meter> series = new ConcurrentHashMap<>();
    private final List<Meter> owned = new CopyOnWriteArrayList<>();

    OwnedMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    <M extends Meter> M own(M meter) {
        owned.add(meter);
        return meter;
    }

    /** The meter registered under {@code key}, registered by {@code register} the first time. */
    @SuppressWarnings("unchecked")
    <M extends Meter> M series(String key, Function<MeterRegistry, M> register) {
        return (M) series.computeIfAbsent(key, k -> own(register.apply(registry)));
    }

    /** A counter with one label. */
    Counter counter(String name, String help, String tag, String value) {
        return series(
                name + "|" + value,
                r -> Counter.builder(name).description(help).tag(tag, value).register(r));
    }

    /** A gauge whose state lives as long as the bean; Micrometer would otherwise hold it weakly. */
    <T> void gauge(String name, String help, T state, ToDoubleFunction<T> value) {
        own(Gauge.builder(name, state, value)
                .description(help)
                .strongReference(true)
                .register(registry));
    }

    void removeAll() {
        owned.forEach(registry::remove);
        owned.clear();
        series.clear();
    }
}
