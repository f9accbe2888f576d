package io.edgebridge;

/** Every reactive-messaging channel of the bridge, named once. */
public final class Channels {

    /** MQTT -> bridge: device telemetry as the broker delivered it. */
    public static final String TELEMETRY_IN = "telemetry-in";

    /** bridge -> Kafka: enveloped telemetry and dead letters, one producer. */
    public static final String TELEMETRY_OUT = "telemetry-out";

    private Channels() {
    }
}
