package io.edgebridge.mqtt.client;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import java.util.ArrayList;
import java.util.List;

/** Between Netty's MQTT 5 property lists and the bridge's {@link PublishProperties}. */
final class PropertiesCodec {

    private PropertiesCodec() {}

    static PublishProperties read(MqttProperties properties) {
        if (properties == null || properties.isEmpty()) {
            return PublishProperties.NONE;
        }
        Integer format = integer(properties, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR);
        Integer expiry = integer(properties, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
        MqttProperty<?> correlation = properties.getProperty(MqttPropertyType.CORRELATION_DATA.value());
        List<UserProperty> users = new ArrayList<>();
        for (MqttProperty<?> property : properties.getProperties(MqttPropertyType.USER_PROPERTY.value())) {
            if (property instanceof UserProperties many) {
                many.value().forEach(pair -> users.add(new UserProperty(pair.key, pair.value)));
            } else if (property.value() instanceof StringPair pair) {
                users.add(new UserProperty(pair.key, pair.value));
            }
        }
        return new PublishProperties(
                format == null ? null : format == 1,
                expiry == null ? null : Integer.toUnsignedLong(expiry),
                string(properties, MqttPropertyType.CONTENT_TYPE),
                string(properties, MqttPropertyType.RESPONSE_TOPIC),
                correlation == null ? null : (byte[]) correlation.value(),
                users);
    }

    static MqttProperties write(PublishProperties properties) {
        if (properties == null || properties.isEmpty()) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties out = new MqttProperties();
        if (properties.payloadUtf8() != null) {
            out.add(new IntegerProperty(
                    MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), properties.payloadUtf8() ? 1 : 0));
        }
        if (properties.messageExpirySeconds() != null) {
            out.add(new IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), (int)
                    Math.min(properties.messageExpirySeconds(), 0xFFFFFFFFL)));
        }
        if (properties.contentType() != null) {
            out.add(new StringProperty(MqttPropertyType.CONTENT_TYPE.value(), properties.contentType()));
        }
        if (properties.responseTopic() != null) {
            out.add(new StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), properties.responseTopic()));
        }
        if (properties.correlationData() != null) {
            out.add(new BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), properties.correlationData()));
        }
        if (!properties.userProperties().isEmpty()) {
            List<StringPair> pairs = properties.userProperties().stream()
                    .map(p -> new StringPair(p.name(), p.value()))
                    .toList();
            out.add(new UserProperties(pairs));
        }
        return out;
    }

    static Integer integer(MqttProperties properties, MqttPropertyType type) {
        MqttProperty<?> property = properties.getProperty(type.value());
        return property == null ? null : (Integer) property.value();
    }

    static String string(MqttProperties properties, MqttPropertyType type) {
        MqttProperty<?> property = properties.getProperty(type.value());
        return property == null ? null : (String) property.value();
    }
}
