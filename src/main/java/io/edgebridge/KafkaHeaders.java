package io.edgebridge;

/** Every Kafka header name the bridge writes, named once: consumers match on them, so they never drift apart. */
public final class KafkaHeaders {

    /** Dead letters, both flows (the SmallRye dead-letter convention): why the record could not be used. */
    public static final String DEAD_LETTER_REASON = "dead-letter-reason";

    public static final String DEAD_LETTER_CAUSE = "dead-letter-cause";

    /** Telemetry dead letters: the matched rule and where the MQTT message came from. */
    public static final String DEAD_LETTER_RULE = "dead-letter-rule";

    public static final String DEAD_LETTER_MQTT_TOPIC = "dead-letter-mqtt-topic";
    public static final String DEAD_LETTER_MQTT_QOS = "dead-letter-mqtt-qos";
    public static final String DEAD_LETTER_MQTT_RETAINED = "dead-letter-mqtt-retained";
    public static final String DEAD_LETTER_RECEIVED_AT = "dead-letter-received-at";
    public static final String DEAD_LETTER_PAYLOAD_SIZE = "dead-letter-payload-size";
    public static final String DEAD_LETTER_PAYLOAD_TRUNCATED = "dead-letter-payload-truncated";

    /** Command dead letters: where the refused record was read. */
    public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";

    public static final String DEAD_LETTER_PARTITION = "dead-letter-partition";
    public static final String DEAD_LETTER_OFFSET = "dead-letter-offset";

    /** Commands: on submitted commands, status events, command dead letters and device responses. */
    public static final String CORRELATION_ID = "correlation-id";

    /** Device responses: who answered which command. */
    public static final String DEVICE_ID = "device-id";

    public static final String COMMAND_NAME = "command-name";

    /** Status events: the status code, so consumers can filter without parsing the value. */
    public static final String COMMAND_STATUS = "command-status";

    /**
     * Status events: the replica that wrote it (its host name, the pod's in Kubernetes, and a suffix new at each
     * start); each replica's status view skips what it wrote itself.
     */
    public static final String REPLICA = "bridge-replica";

    /** CloudEvents Kafka binding, binary mode: each attribute is a header with this prefix. */
    public static final String CLOUDEVENTS_PREFIX = "ce_";

    /** CloudEvents Kafka binding: {@code datacontenttype} (binary) or the structured event's media type. */
    public static final String CONTENT_TYPE = "content-type";

    private KafkaHeaders() {}
}
