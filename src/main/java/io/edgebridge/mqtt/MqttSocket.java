package io.edgebridge.mqtt;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.netty.channel.Channel;
import io.vertx.core.net.impl.NetSocketInternal;
import io.vertx.mqtt.MqttClient;
import java.lang.reflect.Field;
import org.jboss.logging.Logger;

/**
 * Pauses and resumes reading from an MQTT client's socket (Netty's auto-read: the client hands its packets past
 * Vert.x's pausable buffer), so a broker that sends more than its in-flight limit
 * (Mosquitto before 2.0.13 refills its whole limit on every PUBACK) is held back by TCP instead of overrunning the
 * bridge's window. Vert.x's MQTT client does not expose its socket, so it is read from the client's private field;
 * when that is not possible (another Vert.x version) {@link #supported()} is false and the window's overflow
 * handling (leave unacknowledged, reopen) is the only guard, as before.
 */
@RegisterForReflection(targets = io.vertx.mqtt.impl.MqttClientImpl.class, fields = true, methods = false)
final class SocketReads {

    private static final Logger LOG = Logger.getLogger(SocketReads.class);
    private static final Field CONNECTION = connectionField();

    private final Channel channel;

    private SocketReads(Channel channel) {
        this.channel = channel;
    }

    private static Field connectionField() {
        try {
            Field field = io.vertx.mqtt.impl.MqttClientImpl.class.getDeclaredField("connection");
            field.setAccessible(true);
            return NetSocketInternal.class.isAssignableFrom(field.getType()) ? field : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("The MQTT client's socket is not reachable (%s): a broker that exceeds its in-flight limit is"
                    + " held back by reopening the session instead of by pausing reads", e);
            return null;
        }
    }

    /** The read gate of a connected client, or one whose {@link #supported()} is false. */
    static SocketReads of(MqttClient client) {
        if (CONNECTION == null) {
            return new SocketReads(null);
        }
        try {
            NetSocketInternal socket = (NetSocketInternal) CONNECTION.get(client);
            return new SocketReads(socket == null ? null : socket.channelHandlerContext().channel());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new SocketReads(null);
        }
    }

    boolean supported() {
        return channel != null;
    }

    /**
     * Stops reading from the socket; TCP then holds the broker back. Packets already read (at most one read's
     * buffer) are still delivered: the caller keeps those until the window has room.
     */
    void pause() {
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
    }

    void resume() {
        if (channel != null) {
            channel.config().setAutoRead(true);
        }
    }
}
