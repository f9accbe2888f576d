package io.edgebridge.mqtt;

import io.edgebridge.cluster.ShardListener;
import io.edgebridge.cluster.ShardOwnership;
import io.edgebridge.config.BridgeConfig;
import io.edgebridge.config.ClusterMode;
import io.edgebridge.config.HealthConfig;
import io.edgebridge.config.MqttConfig;
import io.edgebridge.health.BrokerConnections;
import io.edgebridge.metrics.TelemetryMetrics;
import io.edgebridge.telemetry.FilterChange;
import io.edgebridge.telemetry.RulesInForce;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The telemetry sessions of this replica, one per shard it owns, feeding one stream. A shard's session has a client
 * id of its own (the configured one with a single shard), subscribes to every rule's filters and, with several
 * shards, forwards only the devices whose id hashes to its shard ({@link ShardRouting}); the others it acknowledges
 * in their turn. Sessions open, finish and are dropped as the shards move.
 */
final class TelemetrySessions implements ShardListener {

    private final Vertx vertx;
    private final Context context;
    private final BridgeConfig config;
    private final RulesInForce rules;
    private final BrokerConnections connections;
    private final TelemetryMetrics metrics;
    private final TelemetryStream stream;
    private final Map<Integer, InboundMqttSession> byShard = new ConcurrentHashMap<>();

    private final ShardOwnership ownership;

    /** The sessions open as the cluster hands this replica shards, from when the stream has its subscriber. */
    TelemetrySessions(
            Vertx vertx,
            BridgeConfig config,
            RulesInForce rules,
            BrokerConnections connections,
            TelemetryMetrics metrics,
            ShardOwnership ownership) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.config = config;
        this.rules = rules;
        this.connections = connections;
        this.metrics = metrics;
        this.ownership = ownership;
        this.stream = new TelemetryStream(context, this::start, this::stopAll);
    }

    /** The stream has its subscriber: join the shard ownership (which opens the sessions of the shards owned). */
    private void start() {
        ownership.start(this);
        connections.telemetryStarted();
    }

    @Override
    public void acquired(int shard) {
        open(shard, ownership.shards(), ownership::mayConnect);
    }

    @Override
    public CompletionStage<Void> releasing(int shard) {
        return release(shard, config.telemetry().drainTimeout());
    }

    @Override
    public void lost(int shard) {
        lose(shard);
    }

    TelemetryStream stream() {
        return stream;
    }

    /** The client id of a shard's session: the configured one when there is a single shard. */
    static String clientId(String configured, int shard, int shards) {
        return shards == 1 ? configured : configured + "-s" + shard;
    }

    /** Opens the session of {@code shard} (of {@code shards}); {@code mayConnect} is asked before every connect. */
    void open(int shard, int shards, ShardLease lease) {
        MqttConfig mqtt = config.mqtt();
        String clientId = clientId(mqtt.clientId(), shard, shards);
        BrokerConnections.TelemetrySession health = connections.openSession(clientId);
        MqttEndpoint endpoint = new MqttEndpoint(
                mqtt.host(),
                mqtt.port(),
                ClientSettings.telemetry(mqtt, clientId, config.telemetry().maxInFlight()),
                ClientSettings.tcp(mqtt),
                new TlsFiles(mqtt.tls()),
                mqtt.connectTimeout(),
                mqtt.maxMessageBytes(),
                mqtt.reconnectInitialBackoff(),
                mqtt.reconnectMaxBackoff());
        HealthConfig settings = config.health();
        DeliveryProbe probe = new DeliveryProbe(
                vertx,
                settings.probeTopic().replace("{clientId}", clientId),
                settings.probeInterval(),
                health.delivery());
        ClusterMode mode = config.cluster().mode();
        Map<String, Integer> filters = filters(mode, shard, shards);
        if (probe.enabled()) {
            filters.put(probe.topic(), 1);
        }
        Predicate<String> forwards = shards == 1 || mode != ClusterMode.HASH
                ? topic -> true
                : new ShardRouting(rules::current, shard, shards)::owns;
        InboundMqttSession session = new InboundMqttSession(
                vertx,
                context,
                new SessionSpec(
                        endpoint,
                        filters,
                        config.telemetry().maxInFlight(),
                        config.telemetry().maxInFlightBytes(),
                        forwards,
                        health.connection(),
                        health.window(),
                        probe,
                        () -> lease.mayConnect(shard)),
                metrics,
                stream::ready);
        session.watchTlsFiles(mqtt.tls().reloadInterval());
        byShard.put(shard, session);
        Backoff.onContext(context, () -> {
            stream.add(session);
            session.start();
        });
    }

    /**
     * What a shard's session subscribes to: in {@code hash} mode every rule's filter (it keeps its own devices), in
     * {@code shared} mode the same filters as one {@code $share} subscription of all shards, in {@code filters} mode
     * the shard's own filters (bridge.cluster.shard-filters), at the QoS of the rule whose filter it is (else 1).
     */
    private Map<String, Integer> filters(ClusterMode mode, int shard, int shards) {
        Map<String, Integer> ruleFilters = rules.current().subscriptions();
        Map<String, Integer> filters = new LinkedHashMap<>();
        if (mode == ClusterMode.FILTERS && shards > 1) {
            String own = config.cluster().shardFilters().orElseThrow().get(shard);
            for (String filter : own.split("\\|")) {
                filters.put(filter.strip(), ruleFilters.getOrDefault(filter.strip(), 1));
            }
        } else {
            ruleFilters.forEach((filter, qos) -> filters.put(asSubscribed(filter, shards), qos));
        }
        return filters;
    }

    /** A rule's filter as the shards subscribe to it: shared in mode {@code shared}, else itself. */
    private String asSubscribed(String filter, int shards) {
        return shards > 1 && config.cluster().mode() == ClusterMode.SHARED
                ? "$share/" + config.mqtt().clientId() + "/" + filter
                : filter;
    }

    /**
     * The rules file was reloaded: every session follows its filters (mode {@code filters} takes its own from the
     * configuration, which a reload does not change).
     */
    CompletableFuture<Void> follow(FilterChange change) {
        int shards = ownership.shards();
        if (shards > 1 && config.cluster().mode() == ClusterMode.FILTERS) {
            return CompletableFuture.completedFuture(null);
        }
        Map<String, Integer> subscribe = new LinkedHashMap<>();
        change.toSubscribe().forEach((filter, qos) -> subscribe.put(asSubscribed(filter, shards), qos));
        List<String> unsubscribe = change.toUnsubscribe().stream()
                .map(filter -> asSubscribed(filter, shards))
                .toList();
        List<CompletableFuture<Void>> all = byShard.values().stream()
                .map(session -> session.changeSubscriptions(subscribe, unsubscribe))
                .toList();
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Finishes the shard's session: what Kafka has is acknowledged, then it disconnects. */
    CompletableFuture<Void> release(int shard, Duration timeout) {
        InboundMqttSession session = byShard.remove(shard);
        if (session == null) {
            return CompletableFuture.completedFuture(null);
        }
        return session.finishInFlightAndStop(timeout).whenComplete((v, e) -> forget(session));
    }

    /** Drops the shard's session at once, acknowledging nothing more. */
    void lose(int shard) {
        InboundMqttSession session = byShard.remove(shard);
        if (session != null) {
            session.abandon();
            forget(session);
        }
    }

    private void forget(InboundMqttSession session) {
        connections.closeSession(session.clientId());
        Backoff.onContext(context, () -> stream.remove(session));
    }

    /** SIGTERM: every session finishes what Kafka has, then disconnects. */
    CompletableFuture<Void> finishAll(Duration timeout) {
        List<CompletableFuture<Void>> all = List.copyOf(byShard.keySet()).stream()
                .map(shard -> release(shard, timeout))
                .toList();
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    void stopAll() {
        byShard.values().forEach(InboundMqttSession::stop);
    }

    /** Messages held by all sessions' windows. */
    int inFlight() {
        return byShard.values().stream().mapToInt(InboundMqttSession::inFlight).sum();
    }

    Throwable failure() {
        return stream.failure();
    }

    /** Before each connect of a shard's session: may it connect now (cluster ownership, within its lease)? */
    interface ShardLease {
        boolean mayConnect(int shard);
    }
}
