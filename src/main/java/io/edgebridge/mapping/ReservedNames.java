package io.edgebridge.mapping;

import java.util.Set;

/** CloudEvents attribute names the bridge sets itself; segments and registry attributes may not reuse them. */
public final class ReservedNames {

    /** Context attributes of CloudEvents 1.0 plus the bridge's MQTT extensions (MQTT 5 properties among them). */
    public static final Set<String> ATTRIBUTES = Set.of(
            "specversion",
            "id",
            "source",
            "type",
            "subject",
            "time",
            "datacontenttype",
            "dataschema",
            "data",
            "mqttqos",
            "mqttretained",
            "mqttdup",
            "mqttpayloadformat",
            "mqttmessageexpiry",
            "mqttresponsetopic",
            "mqttcorrelationdata");

    private ReservedNames() {}
}
