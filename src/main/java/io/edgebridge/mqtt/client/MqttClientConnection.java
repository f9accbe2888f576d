package io.edgebridge.mqtt.client;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One MQTT connection (3.1.1 or 5) on a Vert.x socket, speaking the protocol through Netty's MQTT codec. It does
 * exactly what the bridge needs and nothing behind its back:
 * <ul>
 * <li>a received QoS 1 or 2 message is acknowledged (PUBACK, or PUBREC for QoS 2) only when
 * {@link #acknowledge} is called, so a crash before that leaves it with the broker; a PUBREL is always answered with
 * PUBCOMP, also for a packet id this connection never saw (a PUBREC sent by an earlier process), so the broker's
 * in-flight slot is freed;</li>
 * <li>reading from the socket can be paused ({@link #pauseReads}), so TCP holds back a broker that sends more than
 * the bridge can hold, whatever its in-flight limit;</li>
 * <li>its own publishes complete on the broker's PUBACK or PUBCOMP, with the MQTT 5 reason code;</li>
 * <li>writes are flushed once per run of the event loop, not once per packet ({@link PacketSocket}).</li>
 * </ul>
 * All of it runs on the Vert.x context that opened it.
 */
public final class MqttClientConnection {

    /** What the connection tells its owner. Called on the connection's context. */
    public interface Listener {
        /** A PUBLISH from the broker. */
        void received(ReceivedPublish message);

        /** The connection closed: {@code cause} says why, null when this side closed it. Called once. */
        void closed(Throwable cause);
    }

    private final Vertx vertx;
    private final PacketSocket socket;
    private final ConnectSettings settings;
    private final Listener listener;
    private final OutgoingFlows outgoing;
    private final KeepAlive keepAlive;

    private ConnAck connAck;
    private boolean closed;
    private boolean closing;
    private Throwable closeCause;

    private MqttClientConnection(Vertx vertx, PacketSocket socket, ConnectSettings settings, Listener listener) {
        this.vertx = vertx;
        this.socket = socket;
        this.settings = settings;
        this.listener = listener;
        this.outgoing = new OutgoingFlows(settings.protocol(), this::write);
        this.keepAlive = new KeepAlive(vertx, this::write, this::fail);
    }

    /**
     * Connects to {@code host:port} (TLS as {@code tcp} says), sends CONNECT and completes with the open connection
     * once the broker accepted it, or fails ({@link ConnectRefusedException} when the broker refused). Messages the
     * broker sends right after its CONNACK reach {@code listener} after this future's handlers ran.
     *
     * @param maxPacketBytes larger packets from the broker close the connection (MQTT 5 tells the broker so)
     */
    public static Future<MqttClientConnection> open(
            Vertx vertx,
            NetClientOptions tcp,
            String host,
            int port,
            ConnectSettings settings,
            Duration connectTimeout,
            int maxPacketBytes,
            Listener listener) {
        Promise<MqttClientConnection> opened = Promise.promise();
        PacketSocket.connect(vertx, tcp, host, port, result -> {
            if (result.failed()) {
                opened.fail(result.cause());
                return;
            }
            MqttClientConnection connection = new MqttClientConnection(vertx, result.result(), settings, listener);
            connection.start(opened, connectTimeout, maxPacketBytes);
        });
        return opened.future();
    }

    private void start(Promise<MqttClientConnection> opened, Duration connectTimeout, int maxPacketBytes) {
        socket.start(
                maxPacketBytes,
                packet -> received(packet, opened),
                error -> {
                    if (closeCause == null) {
                        closeCause = error;
                    }
                },
                () -> closed(opened));
        long timer = vertx.setTimer(Math.max(1, connectTimeout.toMillis()), id -> {
            if (connAck == null) {
                fail(new ProtocolException("no CONNACK within " + connectTimeout));
            }
        });
        opened.future().onComplete(done -> vertx.cancelTimer(timer));
        write(Packets.connect(settings));
    }

    // ---- what the owner does ----

    public ConnAck connAck() {
        return connAck;
    }

    public MqttProtocol protocol() {
        return settings.protocol();
    }

    public boolean isOpen() {
        return !closed && !closing;
    }

    /** Acknowledges a received QoS 1 (PUBACK) or QoS 2 (PUBREC) message; QoS 0 needs nothing. */
    public void acknowledge(ReceivedPublish message) {
        if (message.qos() == 1) {
            write(Packets.pubAck(message.packetId()));
        } else if (message.qos() == 2) {
            write(Packets.pubRec(message.packetId()));
        }
    }

    /** Publishes; completes when the broker acknowledged it (QoS 1/2) or it was written (QoS 0). */
    public Future<PublishResult> publish(OutgoingPublish publish) {
        if (!isOpen()) {
            return Future.failedFuture(new ConnectionClosedException(closeCause));
        }
        return outgoing.publish(publish);
    }

    /** Subscribes; completes with the broker's return (3.1.1) or reason (5) code per filter, in order. */
    public Future<List<Integer>> subscribe(Map<String, Integer> filters) {
        if (!isOpen()) {
            return Future.failedFuture(new ConnectionClosedException(closeCause));
        }
        return outgoing.subscribe(filters);
    }

    /** Unsubscribes; completes when the broker answered (UNSUBACK). */
    public Future<Void> unsubscribe(List<String> filters) {
        if (!isOpen()) {
            return Future.failedFuture(new ConnectionClosedException(closeCause));
        }
        return outgoing.unsubscribe(filters);
    }

    /**
     * Sends a PINGREQ; completes when its PINGRESP arrived. The broker answers in order, so then it has read every
     * packet written before the PINGREQ.
     */
    public Future<Void> ping() {
        if (!isOpen()) {
            return Future.failedFuture(new ConnectionClosedException(closeCause));
        }
        return keepAlive.ping();
    }

    /** Outgoing QoS 1/2 publishes the broker has not acknowledged yet. */
    public int unacknowledgedPublishes() {
        return outgoing.unacknowledged();
    }

    /** Stops reading from the socket; packets already read are still delivered. */
    public void pauseReads() {
        socket.pauseReads();
    }

    public void resumeReads() {
        socket.resumeReads();
    }

    /** Sends DISCONNECT (the will is not published) and closes. */
    public void disconnect() {
        if (!isOpen()) {
            return;
        }
        closing = true;
        write(Packets.disconnect(settings.protocol()));
        socket.close();
    }

    /** Closes the socket without DISCONNECT: the broker publishes the will. */
    public void close() {
        if (!closed) {
            closing = true;
            socket.close();
        }
    }

    // ---- packets from the broker ----

    private void received(MqttMessage message, Promise<MqttClientConnection> opened) {
        try {
            if (message.decoderResult().isFailure()) {
                fail(new ProtocolException("the broker sent a packet that cannot be decoded: "
                        + message.decoderResult().cause().getMessage()));
                return;
            }
            switch (message.fixedHeader().messageType()) {
                case CONNACK -> connected((MqttConnAckMessage) message, opened);
                case PUBLISH -> publishReceived((MqttPublishMessage) message);
                case PUBACK -> outgoing.pubAck(Packets.packetId(message), Packets.reason(message));
                case PUBREC -> outgoing.pubRec(Packets.packetId(message), Packets.reason(message));
                case PUBCOMP -> outgoing.pubComp(Packets.packetId(message), Packets.reason(message));
                case PUBREL -> write(Packets.pubComp(Packets.packetId(message)));
                case SUBACK -> outgoing.subAck((MqttSubAckMessage) message);
                case UNSUBACK -> outgoing.unsubAck(Packets.packetId(message));
                case PINGRESP -> keepAlive.pong();
                case DISCONNECT -> closeCause = Packets.serverDisconnect(message);
                default ->
                    fail(new ProtocolException(
                            "unexpected " + message.fixedHeader().messageType()));
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void connected(MqttConnAckMessage message, Promise<MqttClientConnection> opened) {
        if (connAck != null) {
            fail(new ProtocolException("a second CONNACK"));
            return;
        }
        ConnectRefusedException refused = Packets.refusal(settings.protocol(), message);
        if (refused != null) {
            closeCause = refused;
            close();
            return;
        }
        connAck = Packets.connAck(settings, message);
        outgoing.limit(connAck.receiveMaximum());
        keepAlive.start(connAck.keepAliveSeconds());
        opened.tryComplete(this);
    }

    private void publishReceived(MqttPublishMessage message) {
        if (connAck == null) {
            fail(new ProtocolException("PUBLISH before CONNACK"));
            return;
        }
        listener.received(Packets.received(message));
    }

    // ---- writing and closing ----

    private void write(MqttMessage message) {
        if (closed) {
            ReferenceCountUtil.release(message);
            return;
        }
        keepAlive.wrote();
        socket.write(message);
    }

    private void fail(Throwable cause) {
        if (closeCause == null) {
            closeCause = cause;
        }
        close();
    }

    private void closed(Promise<MqttClientConnection> opened) {
        if (closed) {
            return;
        }
        closed = true;
        keepAlive.stop();
        Throwable cause = closeCause != null ? closeCause : closing ? null : new ConnectionClosedException(null);
        ConnectionClosedException gone = new ConnectionClosedException(cause);
        outgoing.closed(gone);
        if (!opened.tryFail(cause == null ? gone : cause)) {
            listener.closed(cause);
        }
    }
}
