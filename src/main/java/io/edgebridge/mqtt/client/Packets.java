package io.edgebridge.mqtt.client;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import java.util.List;
import java.util.Map;

/** The packets the client writes, and what it reads out of the broker's CONNACK, PUBLISH and DISCONNECT. */
final class Packets {

    static final MqttMessage PINGREQ = simple(MqttMessageType.PINGREQ);

    private Packets() {}

    static MqttMessage connect(ConnectSettings settings) {
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
                .protocolVersion(settings.protocol().version())
                .clientId(settings.clientId())
                .cleanSession(settings.cleanStart())
                .keepAlive(settings.keepAliveSeconds());
        if (settings.username() != null) {
            connect.hasUser(true).username(settings.username());
        }
        if (settings.password() != null) {
            connect.hasPassword(true).password(settings.password());
        }
        Will will = settings.will();
        if (will != null) {
            connect.willFlag(true)
                    .willTopic(will.topic())
                    .willMessage(will.payload())
                    .willQoS(MqttQoS.valueOf(will.qos()))
                    .willRetain(will.retain());
        }
        if (settings.protocol() == MqttProtocol.V5) {
            MqttProperties properties = new MqttProperties();
            properties.add(integer(MqttPropertyType.SESSION_EXPIRY_INTERVAL, (int)
                    Math.min(settings.sessionExpirySeconds(), ConnectSettings.NEVER_EXPIRES)));
            properties.add(integer(MqttPropertyType.RECEIVE_MAXIMUM, settings.receiveMaximum()));
            properties.add(integer(MqttPropertyType.MAXIMUM_PACKET_SIZE, settings.maximumPacketSize()));
            connect.properties(properties);
        }
        return connect.build();
    }

    static MqttMessage publish(MqttProtocol protocol, OutgoingPublish publish, int packetId) {
        return MqttMessageBuilders.publish()
                .topicName(publish.topic())
                .qos(MqttQoS.valueOf(publish.qos()))
                .retained(publish.retain())
                .messageId(packetId)
                .payload(Unpooled.wrappedBuffer(publish.payload()))
                .properties(
                        protocol == MqttProtocol.V5
                                ? PropertiesCodec.write(publish.properties())
                                : MqttProperties.NO_PROPERTIES)
                .build();
    }

    static MqttMessage subscribe(MqttProtocol protocol, Map<String, Integer> filters, int packetId) {
        MqttMessageBuilders.SubscribeBuilder subscribe =
                MqttMessageBuilders.subscribe().messageId(packetId);
        filters.forEach((filter, qos) -> subscribe.addSubscription(MqttQoS.valueOf(qos), filter));
        return subscribe.build();
    }

    static MqttMessage unsubscribe(List<String> filters, int packetId) {
        MqttMessageBuilders.UnsubscribeBuilder unsubscribe =
                MqttMessageBuilders.unsubscribe().messageId(packetId);
        filters.forEach(unsubscribe::addTopicFilter);
        return unsubscribe.build();
    }

    static MqttMessage pubAck(int packetId) {
        return withId(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE, packetId);
    }

    static MqttMessage pubRec(int packetId) {
        return withId(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, packetId);
    }

    /** PUBREL's fixed header carries QoS 1 (MQTT 3.1.1 section 3.6.1, MQTT 5 section 3.6.1). */
    static MqttMessage pubRel(int packetId) {
        return withId(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, packetId);
    }

    static MqttMessage pubComp(int packetId) {
        return withId(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, packetId);
    }

    static MqttMessage disconnect(MqttProtocol protocol) {
        if (protocol == MqttProtocol.V5) {
            return MqttMessageBuilders.disconnect().reasonCode((byte) 0).build();
        }
        return simple(MqttMessageType.DISCONNECT);
    }

    /** Null when the broker accepted the connection, else why it did not. */
    static ConnectRefusedException refusal(MqttProtocol protocol, MqttConnAckMessage message) {
        int code = message.variableHeader().connectReturnCode().byteValue() & 0xFF;
        if (code == 0) {
            return null;
        }
        String reason = PropertiesCodec.string(message.variableHeader().properties(), MqttPropertyType.REASON_STRING);
        return new ConnectRefusedException(protocol, code, reason);
    }

    /** The accepted connection's terms; MQTT's defaults where the broker states none. */
    static ConnAck connAck(ConnectSettings settings, MqttConnAckMessage message) {
        MqttProperties properties = message.variableHeader().properties();
        Integer keepAlive = PropertiesCodec.integer(properties, MqttPropertyType.SERVER_KEEP_ALIVE);
        Integer receiveMaximum = PropertiesCodec.integer(properties, MqttPropertyType.RECEIVE_MAXIMUM);
        Integer maximumQos = PropertiesCodec.integer(properties, MqttPropertyType.MAXIMUM_QOS);
        Integer retain = PropertiesCodec.integer(properties, MqttPropertyType.RETAIN_AVAILABLE);
        Integer maximumPacket = PropertiesCodec.integer(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE);
        return new ConnAck(
                message.variableHeader().isSessionPresent(),
                keepAlive == null ? settings.keepAliveSeconds() : keepAlive,
                receiveMaximum == null ? 65_535 : receiveMaximum,
                maximumQos == null ? 2 : maximumQos,
                retain == null || retain != 0,
                maximumPacket == null ? 0 : maximumPacket);
    }

    /** A PUBLISH from the broker, its payload copied out of the packet's buffer. */
    static ReceivedPublish received(MqttPublishMessage message) {
        return new ReceivedPublish(
                message.variableHeader().topicName(),
                ByteBufUtil.getBytes(message.payload()),
                message.fixedHeader().qosLevel().value(),
                message.fixedHeader().isRetain(),
                message.fixedHeader().isDup(),
                message.variableHeader().packetId(),
                PropertiesCodec.read(message.variableHeader().properties()));
    }

    /** Why the broker disconnected (MQTT 5 sends a reason: session taken over, keep-alive timeout, ...). */
    static ProtocolException serverDisconnect(MqttMessage message) {
        if (message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
            String reason = PropertiesCodec.string(header.properties(), MqttPropertyType.REASON_STRING);
            return new ProtocolException(
                    String.format("the broker disconnected with reason 0x%02X", header.reasonCode())
                            + (reason == null ? "" : " (" + reason + ")"));
        }
        return new ProtocolException("the broker disconnected");
    }

    /** The packet id of an acknowledgement, whichever variable header the codec made for it. */
    static int packetId(MqttMessage message) {
        Object header = message.variableHeader();
        if (header instanceof MqttMessageIdVariableHeader id) {
            return id.messageId();
        }
        return ((MqttMessageIdAndPropertiesVariableHeader) header).messageId();
    }

    /** The MQTT 5 reason code and string of a PUBACK, PUBREC or PUBCOMP (always success with 3.1.1). */
    static PublishResult reason(MqttMessage message) {
        if (message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply) {
            return new PublishResult(
                    reply.reasonCode() & 0xFF,
                    PropertiesCodec.string(reply.properties(), MqttPropertyType.REASON_STRING));
        }
        return PublishResult.ACCEPTED;
    }

    private static MqttMessage withId(MqttMessageType type, MqttQoS qos, int packetId) {
        return new MqttMessage(
                new MqttFixedHeader(type, false, qos, false, 2), MqttMessageIdVariableHeader.from(packetId));
    }

    private static MqttMessage simple(MqttMessageType type) {
        return new MqttMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0));
    }

    private static IntegerProperty integer(MqttPropertyType type, int value) {
        return new IntegerProperty(type.value(), value);
    }
}
