package io.edgebridge.mqtt;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The telemetry channel's stream, fed by the MQTT sessions this replica holds (one per shard it owns; one in all
 * without clustering). The sessions come and go as shards move; each keeps its own window and acknowledgements, and
 * the stream takes from them in turn, as the subscriber's demand allows. The stream and its sessions share one
 * Vert.x context.
 */
final class TelemetryStream implements Flow.Publisher<Message<byte[]>> {

    private final MessageStream<Message<byte[]>> stream;
    private final List<InboundMqttSession> sessions = new ArrayList<>(); // confined to the context
    private int turn;

    /**
     * @param subscribed runs once the subscriber is in place: sessions may open from then on (what a broker kept
     *                   for a session arrives right after its CONNACK and needs a taker)
     * @param cancelled  runs when the subscriber cancels
     */
    TelemetryStream(Context context, Runnable subscribed, Runnable cancelled) {
        this.stream = new MessageStream<>(context, this::next, subscribed, cancelled);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Message<byte[]>> subscriber) {
        stream.subscribe(subscriber);
    }

    /** Why the stream failed (liveness reports it), or null. */
    Throwable failure() {
        return stream.failure();
    }

    /** A session starts feeding the stream. On the context. */
    void add(InboundMqttSession session) {
        sessions.add(session);
    }

    /** A session stops feeding it (what it handed over is still answered through its own window). On the context. */
    void remove(InboundMqttSession session) {
        sessions.remove(session);
    }

    /** Something became ready in a session. On the context. */
    void ready() {
        stream.emitReady();
    }

    /** The next message of any session, taking them in turn so that none starves the others. */
    private Message<byte[]> next() {
        int count = sessions.size();
        for (int i = 0; i < count; i++) {
            InboundMqttSession session = sessions.get((turn + i) % count);
            Message<byte[]> message = session.next();
            if (message != null) {
                turn = (turn + i + 1) % count;
                return message;
            }
        }
        return null;
    }
}
