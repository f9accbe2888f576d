package io.edgebridge.mqtt;

import io.edgebridge.health.ConnectionStatus;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What the telemetry session subscribes to on every connection, and what readiness makes of the answer: up only
 * once the broker granted every filter (a refused one names the broker's ACL). Once subscribed, the session says
 * {@code online}, retained, on the bridge's status topic (its last will says {@code offline}).
 */
final class SessionSubscriptions {

    private static final Logger LOG = Logger.getLogger(SessionSubscriptions.class);

    private final Map<String, Integer> filters;
    private final MqttClientOptions options;
    private final ConnectionStatus status;

    /** @param filters topic filter -> requested QoS */
    SessionSubscriptions(Map<String, Integer> filters, MqttClientOptions options, ConnectionStatus status) {
        this.filters = filters;
        this.options = options;
        this.status = status;
    }

    void subscribe(MqttClient client) {
        client.subscribe(filters);
    }

    /** The broker's SUBACK on {@code client}'s connection to {@code endpoint}. */
    void answered(MqttClient client, String endpoint, MqttSubAckMessage suback) {
        List<String> refused = refusedFilters(List.copyOf(filters.keySet()), suback.grantedQoSLevels());
        if (!refused.isEmpty()) {
            String reason = "broker refused the subscription to " + refused + " (check the broker's ACL for "
                    + options.getUsername() + ")";
            if (status.update(false, reason)) {
                LOG.errorf("MQTT %s", reason);
            }
            return;
        }
        if (status.update(true, null)) {
            LOG.infof(
                    "MQTT connected to %s as '%s' (TLS %s), subscribed to %s",
                    endpoint, options.getClientId(), options.isSsl() ? "on" : "OFF", filters);
        }
        publishStatus(client, MqttClientOptionsFactory.ONLINE);
    }

    /** The filters whose SUBACK return code is a failure (0x80 and above), or missing. */
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
    void publishStatus(MqttClient client, String state) {
        if (client != null) {
            client.publish(options.getWillTopic(), Buffer.buffer(state), MqttQoS.AT_LEAST_ONCE, false, true)
                    .onFailure(e -> LOG.debugf("Status %s not published: %s", state, e));
        }
    }
}
