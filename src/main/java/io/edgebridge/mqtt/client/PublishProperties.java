package io.edgebridge.mqtt.client;

import java.util.List;

/**
 * The MQTT 5 properties of a PUBLISH that the bridge reads or writes; every field may be absent (null, or an empty
 * list). MQTT 3.1.1 messages have {@link #NONE}.
 *
 * @param payloadUtf8          the payload format indicator: true for UTF-8 text, false for unspecified bytes
 * @param messageExpirySeconds the message expiry interval the broker applies (and lowers while it holds the message)
 */
public record PublishProperties(
        Boolean payloadUtf8,
        Long messageExpirySeconds,
        String contentType,
        String responseTopic,
        byte[] correlationData,
        List<UserProperty> userProperties) {

    public static final PublishProperties NONE = new PublishProperties(null, null, null, null, null, List.of());

    public PublishProperties {
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }

    public boolean isEmpty() {
        return payloadUtf8 == null
                && messageExpirySeconds == null
                && contentType == null
                && responseTopic == null
                && correlationData == null
                && userProperties.isEmpty();
    }
}
