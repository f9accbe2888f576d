package io.edgebridge.metrics;

import io.edgebridge.health.OwnedShards;
import io.micrometer.core.instrument.Counter;
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

/** The shard ownership's metrics (docs/operations.md): shards owned, hand-overs, and the time a shard had no owner. */
@ApplicationScoped
public class ClusterMetrics {

    /** The {@code event} label values of {@code edgebridge_cluster_handovers_total}. */
    public static final List<String> HANDOVER_EVENTS = List.of("acquired", "released", "lost");

    private final MeterRegistry registry;
    private final Timer shardUnowned;
    private final Map<String, Counter> handovers = new ConcurrentHashMap<>();
    private final List<Meter> owned = new CopyOnWriteArrayList<>();

    public ClusterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.shardUnowned = own(Timer.builder("edgebridge.cluster.shard.unowned")
                .description("Time a shard acquired by this replica had no owner: from the previous owner's last"
                        + " coordination record (its release, or its last heartbeat if it crashed) to this acquisition")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry));
    }

    /** Shard ownership: how many this replica owns, and every hand-over by what happened (series exist from start). */
    void registerSeries(@Observes StartupEvent event, OwnedShards shards) {
        own(Gauge.builder(
                        "edgebridge.cluster.shards.owned",
                        shards,
                        s -> s.owned().size())
                .description("Shards this replica owns (its MQTT sessions); 1 of 1 with clustering off")
                .strongReference(true)
                .register(registry));
        HANDOVER_EVENTS.forEach(this::handoverCounter);
    }

    /** {@code event}: acquired, released or lost. */
    public void handover(String event) {
        handoverCounter(event).increment();
    }

    public void shardUnowned(Duration unowned) {
        shardUnowned.record(unowned);
    }

    private Counter handoverCounter(String event) {
        return handovers.computeIfAbsent(
                event,
                e -> own(Counter.builder("edgebridge.cluster.handovers")
                        .description("Shard ownership changes of this replica: acquired, released (handed over), lost"
                                + " (without hand-over)")
                        .tag("event", e)
                        .register(registry)));
    }

    private <M extends Meter> M own(M meter) {
        owned.add(meter);
        return meter;
    }

    /** Meters must not outlive the beans they read. */
    @PreDestroy
    void removeMeters() {
        owned.forEach(registry::remove);
        owned.clear();
        handovers.clear();
    }
}
