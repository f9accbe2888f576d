package io.edgebridge.telemetry;

/**
 * What one received message becomes: one Kafka record ({@link KafkaRecordPlan}: the event, or a dead letter), or,
 * under a rule with a transform, what the transform made of it ({@link Transformed}). Every message ends up in
 * exactly one of forwarded, filtered and dead-lettered.
 */
public sealed interface Routing permits KafkaRecordPlan, Transformed {

    /** The matched rule's name, or {@link TelemetryRouter#NO_RULE}. */
    String rule();
}
