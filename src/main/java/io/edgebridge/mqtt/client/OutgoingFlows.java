package io.edgebridge.mqtt.client;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The client's own packet flows: publishes until their PUBACK (QoS 1) or PUBREC, PUBREL, PUBCOMP (QoS 2), and
 * subscriptions until their SUBACK, each under a packet id of its own while it is open. Confined to the
 * connection's context.
 */
final class OutgoingFlows {

    private final MqttProtocol protocol;
    private final Consumer<MqttMessage> write;
    private final Map<Integer, Promise<PublishResult>> publishes = new HashMap<>();
    private final Map<Integer, Promise<List<Integer>>> subscriptions = new HashMap<>();
    private final Map<Integer, Promise<Void>> unsubscriptions = new HashMap<>();
    private int nextId = 1;
    private int limit = 65_535;

    OutgoingFlows(MqttProtocol protocol, Consumer<MqttMessage> write) {
        this.protocol = protocol;
        this.write = write;
    }

    /** The broker's Receive Maximum: more unacknowledged publishes than this are a protocol error (MQTT 5). */
    void limit(int receiveMaximum) {
        limit = receiveMaximum;
    }

    int unacknowledged() {
        return publishes.size();
    }

    Future<PublishResult> publish(OutgoingPublish publish) {
        if (publish.qos() == 0) {
            write.accept(Packets.publish(protocol, publish, 0));
            return Future.succeededFuture(PublishResult.ACCEPTED);
        }
        if (publishes.size() >= limit) {
            return Future.failedFuture(new IllegalStateException(
                    "more unacknowledged publishes than the broker's Receive Maximum (" + limit + ")"));
        }
        int id = allocate();
        Promise<PublishResult> answered = Promise.promise();
        publishes.put(id, answered);
        write.accept(Packets.publish(protocol, publish, id));
        return answered.future();
    }

    Future<List<Integer>> subscribe(Map<String, Integer> filters) {
        int id = allocate();
        Promise<List<Integer>> answered = Promise.promise();
        subscriptions.put(id, answered);
        write.accept(Packets.subscribe(protocol, filters, id));
        return answered.future();
    }

    Future<Void> unsubscribe(List<String> filters) {
        int id = allocate();
        Promise<Void> answered = Promise.promise();
        unsubscriptions.put(id, answered);
        write.accept(Packets.unsubscribe(filters, id));
        return answered.future();
    }

    void unsubAck(int id) {
        Promise<Void> answered = unsubscriptions.remove(id);
        if (answered != null) {
            answered.tryComplete();
        }
    }

    void pubAck(int id, PublishResult result) {
        Promise<PublishResult> answered = publishes.remove(id);
        if (answered != null) {
            answered.tryComplete(result);
        }
    }

    /** QoS 2, first answer: release it (PUBREL) unless the broker refused it. */
    void pubRec(int id, PublishResult result) {
        if (!result.accepted()) {
            pubAck(id, result); // a refusing PUBREC ends the flow
            return;
        }
        write.accept(Packets.pubRel(id));
    }

    void pubComp(int id, PublishResult result) {
        pubAck(id, result.accepted() ? PublishResult.ACCEPTED : result);
    }

    void subAck(MqttSubAckMessage message) {
        Promise<List<Integer>> answered =
                subscriptions.remove(message.variableHeader().messageId());
        if (answered != null) {
            answered.tryComplete(message.payload().reasonCodes());
        }
    }

    /** The connection closed: nothing open will be answered. */
    void closed(Throwable cause) {
        publishes.values().forEach(p -> p.tryFail(cause));
        subscriptions.values().forEach(p -> p.tryFail(cause));
        unsubscriptions.values().forEach(p -> p.tryFail(cause));
        publishes.clear();
        subscriptions.clear();
        unsubscriptions.clear();
    }

    private int allocate() {
        for (int tries = 0; tries < 65_535; tries++) {
            int id = nextId;
            nextId = nextId == 65_535 ? 1 : nextId + 1;
            if (!publishes.containsKey(id) && !subscriptions.containsKey(id) && !unsubscriptions.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("all 65535 packet ids are in use");
    }
}
