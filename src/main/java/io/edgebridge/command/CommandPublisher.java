package io.edgebridge.command;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * What the command flow needs of an MQTT client: publish a command and learn when the broker has it. The command
 * flow owns this port; a client library implements it (mqtt/{@code MqttCommandPublisher}).
 */
public interface CommandPublisher {

    /** How a publish ended. */
    enum Outcome {
        PUBLISHED,
        EXPIRED
    }

    /**
     * Publishes in hand-over order; completes with {@link Outcome#PUBLISHED} once the broker acknowledged it, or
     * {@link Outcome#EXPIRED} if {@code expiresAt} passed before it could be sent. Completes exceptionally only
     * when the publisher is stopped first.
     */
    CompletionStage<Outcome> publish(String topic, byte[] payload, int qos, boolean retain, Instant expiresAt);
}
