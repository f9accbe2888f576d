package io.edgebridge.mqtt.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * The socket under an {@link MqttClientConnection}: Vert.x TCP (TLS as its options say) with Netty's MQTT codec in
 * the pipeline, and writes flushed once per run of the event loop, not once per packet. It carries packets; what
 * they mean is the connection's business.
 */
final class PacketSocket {

    /** Flushes after this many packets at the latest, even while the event loop has more to run. */
    private static final int FLUSH_AFTER_PACKETS = 256;
    /** Vert.x's handler at the tail of the socket's pipeline; writes start there. */
    private static final String VERTX_HANDLER = "handler";

    private final NetClient client;
    private final NetSocketInternal socket;
    private final Channel channel;

    private PacketSocket(NetClient client, NetSocketInternal socket) {
        this.client = client;
        this.socket = socket;
        this.channel = socket.channelHandlerContext().channel();
    }

    /** Connects to {@code host:port}; {@code done} runs on the connecting context, nothing read yet. */
    static void connect(
            Vertx vertx, NetClientOptions tcp, String host, int port, Handler<AsyncResult<PacketSocket>> done) {
        NetClient client = vertx.createNetClient(tcp);
        client.connect(port, host).onComplete(result -> {
            if (result.failed()) {
                client.close();
                done.handle(Future.failedFuture(result.cause()));
                return;
            }
            done.handle(Future.succeededFuture(new PacketSocket(client, (NetSocketInternal) result.result())));
        });
    }

    /**
     * Installs the codec and starts reading: each decoded packet goes to {@code packets} (which releases it), socket
     * errors to {@code errors}; {@code closed} runs once when the socket closed, the client that opened it closed too.
     *
     * @param maxPacketBytes larger packets from the broker close the connection
     */
    void start(int maxPacketBytes, Handler<MqttMessage> packets, Handler<Throwable> errors, Runnable closed) {
        ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
        pipeline.addBefore(VERTX_HANDLER, "mqtt-encoder", MqttEncoder.INSTANCE);
        pipeline.addBefore(VERTX_HANDLER, "mqtt-decoder", new MqttDecoder(maxPacketBytes));
        pipeline.addBefore(
                VERTX_HANDLER, "flush-consolidation", new FlushConsolidationHandler(FLUSH_AFTER_PACKETS, true));
        socket.messageHandler(message -> {
            if (message instanceof MqttMessage mqtt) {
                packets.handle(mqtt);
            } else {
                ReferenceCountUtil.release(message);
            }
        });
        socket.exceptionHandler(errors);
        socket.closeHandler(v -> {
            client.close();
            closed.run();
        });
    }

    void write(MqttMessage message) {
        socket.writeMessage(message);
    }

    /** Stops reading from the socket; packets already read are still delivered. */
    void pauseReads() {
        channel.config().setAutoRead(false);
    }

    void resumeReads() {
        channel.config().setAutoRead(true);
    }

    void close() {
        socket.close();
    }
}
