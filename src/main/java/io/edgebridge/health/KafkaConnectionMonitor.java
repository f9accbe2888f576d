package io.edgebridge.health;

import io.edgebridge.config.BridgeConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.jboss.logging.Logger;

/**
 * Watches the Kafka cluster with the same {@code kafka.*} settings the producer uses, so readiness reflects
 * whether Kafka answers even when no telemetry is flowing.
 */
@ApplicationScoped
public class KafkaConnectionMonitor {

    private static final Logger LOG = Logger.getLogger(KafkaConnectionMonitor.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    BrokerConnections connections;

    @Inject
    BridgeConfig config;

    private Duration interval;

    private ScheduledExecutorService executor;
    private Admin admin;

    void start(@Observes StartupEvent event) {
        interval = config.health().kafkaCheckInterval();
        Map<String, Object> adminConfig = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                adminConfig.put(key, value);
            }
        });
        int timeout = (int) Math.max(1000, interval.toMillis());
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "edge-bridge-health");
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        connections.kafka().endpoint(String.valueOf(adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)));
        admin = Admin.create(adminConfig);
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "edge-bridge-kafka-health");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    private void check() {
        ConnectionStatus status = connections.kafka();
        try {
            DescribeClusterResult cluster = admin.describeCluster(
                    new DescribeClusterOptions().timeoutMs((int) Math.max(1000, interval.toMillis())));
            int brokers = cluster.nodes().get().size();
            String clusterId = cluster.clusterId().get();
            if (status.update(brokers > 0, brokers > 0 ? null : "no brokers in the cluster")) {
                LOG.infof("Kafka reachable at %s (cluster %s, %d brokers)", status.endpoint(), clusterId, brokers);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            if (status.update(false, reason)) {
                LOG.warnf("Kafka unreachable at %s: %s", status.endpoint(), reason);
            }
        }
    }
}
