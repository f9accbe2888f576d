package io.edgebridge.mqtt;

import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.net.impl.NetSocketInternal;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.impl.MqttClientImpl;
import java.lang.reflect.Field;
import org.jboss.logging.Logger;

/**
 * The socket under a connected Vert.x MQTT client, for what the client does not offer:
 * <ul>
 * <li>pausing reads (Netty's auto-read: the client hands its packets past Vert.x's pausable buffer), so a broker
 * that sends more than its in-flight limit (Mosquitto before 2.0.13 refills its whole limit on every PUBACK) is held
 * back by TCP instead of overrunning the bridge's window;</li>
 * <li>consolidating flushes: the client flushes every packet it writes outside a socket read (each PUBACK after a
 * Kafka ack, each command publish), one TLS record and one system call each; consolidated, the packets written in
 * one run of the event loop leave together.</li>
 * </ul>
 * The client does not expose its socket, so it is read from the client's private field; when that is not possible
 * (another Vert.x version) {@link #supported()} is false: the window's overflow handling (leave unacknowledged,
 * reopen) is then the only guard against an overrunning broker, and every packet is flushed on its own.
 */
@RegisterForReflection(targets = MqttClientImpl.class, fields = true, methods = false)
final class MqttSocket {

    private static final Logger LOG = Logger.getLogger(MqttSocket.class);
    private static final Field CONNECTION = connectionField();
    /** Vert.x's handler at the tail of the client's pipeline; writes and flushes start there. */
    private static final String VERTX_HANDLER = "handler";
    /** Flushes this many packets at the latest, even while the event loop has more to run. */
    private static final int FLUSH_AFTER_PACKETS = 256;

    private final Channel channel;

    private MqttSocket(Channel channel) {
        this.channel = channel;
    }

    private static Field connectionField() {
        try {
            Field field = MqttClientImpl.class.getDeclaredField("connection");
            field.setAccessible(true);
            return NetSocketInternal.class.isAssignableFrom(field.getType()) ? field : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf(
                    "The MQTT client's socket is not reachable (%s): a broker that exceeds its in-flight limit is"
                            + " held back by reopening the session instead of by pausing reads, and every packet is"
                            + " flushed on its own",
                    e);
            return null;
        }
    }

    /** The socket of a connected client, or one whose {@link #supported()} is false. */
    static MqttSocket of(MqttClient client) {
        if (CONNECTION == null) {
            return new MqttSocket(null);
        }
        try {
            NetSocketInternal socket = (NetSocketInternal) CONNECTION.get(client);
            return new MqttSocket(
                    socket == null ? null : socket.channelHandlerContext().channel());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new MqttSocket(null);
        }
    }

    boolean supported() {
        return channel != null;
    }

    /**
     * Flushes once per run of the event loop (or every {@value #FLUSH_AFTER_PACKETS} packets) instead of once per
     * packet. Call on the client's event loop, once per connection.
     */
    MqttSocket consolidateFlushes() {
        if (channel != null
                && channel.pipeline().get(VERTX_HANDLER) != null
                && channel.pipeline().get(FlushConsolidationHandler.class) == null) {
            channel.pipeline()
                    .addBefore(
                            VERTX_HANDLER,
                            "flush-consolidation",
                            new FlushConsolidationHandler(FLUSH_AFTER_PACKETS, true));
        }
        return this;
    }

    /**
     * Stops reading from the socket; TCP then holds the broker back. Packets already read (at most one read's
     * buffer) are still delivered: the caller keeps those until the window has room.
     */
    void pauseReads() {
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
    }

    void resumeReads() {
        if (channel != null) {
            channel.config().setAutoRead(true);
        }
    }
}
