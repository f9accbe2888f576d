package io.edgebridge.mqtt;

import io.edgebridge.health.ConnectionStatus;
import io.edgebridge.mqtt.client.MqttClientConnection;
import io.edgebridge.mqtt.client.OutgoingPublish;
import io.edgebridge.mqtt.client.PublishProperties;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * What the telemetry session subscribes to on every connection, and what readiness makes of the answer: up only
 * once the broker granted every filter (a refused one names the broker's ACL). Once subscribed, the session says
 * {@code online}, retained, on the bridge's status topic (its last will says {@code offline}).
 */
final class SessionSubscriptions {

    private static final Logger LOG = Logger.getLogger(SessionSubscriptions.class);

    private final Map<String, Integer> filters; // changed on the session's context only
    private final String statusTopic;
    private final String username;
    private final ConnectionStatus status;
    private MqttClientConnection granted; // the connection whose subscriptions the broker granted, while open

    /** @param filters topic filter -> requested QoS */
    SessionSubscriptions(Map<String, Integer> filters, String statusTopic, String username, ConnectionStatus status) {
        this.filters = new LinkedHashMap<>(filters);
        this.statusTopic = statusTopic;
        this.username = username;
        this.status = status;
    }

    /** Subscribes on {@code connection} (to {@code endpoint} as {@code clientId}); readiness hears the answer. */
    void subscribe(MqttClientConnection connection, String endpoint, String clientId, boolean tls) {
        connection.subscribe(filters).onSuccess(codes -> {
            List<String> refused = refusedFilters(List.copyOf(filters.keySet()), codes);
            if (!refused.isEmpty()) {
                String reason = "broker refused the subscription to " + refused + " (check the broker's ACL for "
                        + username + ")";
                if (status.update(false, reason)) {
                    LOG.errorf("MQTT %s", reason);
                }
                return;
            }
            granted = connection;
            if (status.update(true, null)) {
                LOG.infof(
                        "MQTT connected to %s as '%s' (MQTT %s, TLS %s), subscribed to %s",
                        endpoint, clientId, connection.protocol(), tls ? "on" : "OFF", filters);
            }
            publishStatus(connection, ClientSettings.ONLINE);
        });
    }

    /**
     * The rules changed: subscribes to {@code subscribe} and unsubscribes from {@code unsubscribe} on the open
     * connection (no reconnect: the window and its acknowledgement order stay), and every later connection subscribes
     * to the filters as they are now. Completes when the broker answered; fails naming what it refused.
     */
    CompletableFuture<Void> change(
            MqttClientConnection open, Map<String, Integer> subscribe, List<String> unsubscribe) {
        unsubscribe.forEach(filters::remove);
        filters.putAll(subscribe);
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (open == null || !open.isOpen()) {
            done.complete(null);
            return done;
        }
        Future<List<Integer>> subscribed =
                subscribe.isEmpty() ? Future.succeededFuture(List.of()) : open.subscribe(subscribe);
        Future<Void> unsubscribed = unsubscribe.isEmpty() ? Future.succeededFuture() : open.unsubscribe(unsubscribe);
        Future.all(subscribed, unsubscribed).onComplete(answered -> {
            if (answered.failed()) {
                done.completeExceptionally(answered.cause());
                return;
            }
            List<String> refused = refusedFilters(List.copyOf(subscribe.keySet()), subscribed.result());
            if (refused.isEmpty()) {
                LOG.infof("MQTT subscriptions follow the rules: %s", filters);
                done.complete(null);
            } else {
                done.completeExceptionally(new IllegalStateException("the broker refused the subscription to " + refused
                        + " (check the broker's ACL for " + username + ")"));
            }
        });
        return done;
    }

    /** The open connection the broker granted every subscription on, or null. */
    MqttClientConnection subscribedOn() {
        return granted != null && granted.isOpen() ? granted : null;
    }

    /** The filters whose SUBACK code is a failure (0x80 and above), or missing. */
    static List<String> refusedFilters(List<String> filters, List<Integer> granted) {
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            if (i >= granted.size() || granted.get(i) >= 0x80) {
                refused.add(filters.get(i));
            }
        }
        return refused;
    }

    /** Retained bridge status on the status topic; a clean DISCONNECT suppresses the will, so it is said here. */
    void publishStatus(MqttClientConnection connection, String state) {
        if (connection != null && connection.connAck().retainAvailable()) {
            byte[] payload = state.getBytes(StandardCharsets.UTF_8);
            connection
                    .publish(new OutgoingPublish(statusTopic, payload, 1, true, PublishProperties.NONE))
                    .onFailure(e -> LOG.debugf("Status %s not published: %s", state, e));
        }
    }
}
