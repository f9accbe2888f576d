package io.edgebridge;

/** Every reactive-messaging channel of the bridge, named once. */
public final class Channels {

    /** MQTT -> bridge: device telemetry as the broker delivered it. */
    public static final String TELEMETRY_IN = "telemetry-in";

    /** bridge -> Kafka: enveloped telemetry and dead letters, one producer. */
    public static final String TELEMETRY_OUT = "telemetry-out";

    /** Kafka -> bridge: commands for devices (key = device id). */
    public static final String COMMANDS_IN = "commands-in";

    /** bridge -> Kafka: command status events, command dead letters and commands submitted through REST. */
    public static final String COMMAND_EVENTS_OUT = "command-events-out";

    private Channels() {}
}
