package io.edgebridge.command;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the command flow needs of an MQTT client: publish a command and learn when the broker has it. The command
 * flow owns this port; a client library implements it (mqtt/{@code MqttCommandPublisher}).
 */
public interface CommandPublisher {

    /**
     * One command's publish. The MQTT 5 fields travel as properties where the connection speaks MQTT 5 (and are left
     * out with 3.1.1): the response topic and correlation data a device answers with, the content type, user
     * properties; {@code expiresAt} also becomes the message expiry interval, so the broker drops the command for a
     * device that connects too late.
     *
     * @param contentType null for none
     * @param userProperties name, value; in order
     */
    record Publication(
            String topic,
            byte[] payload,
            int qos,
            boolean retain,
            Instant expiresAt,
            String responseTopic,
            byte[] correlationData,
            String contentType,
            List<Map.Entry<String, String>> userProperties) {}

    /** How a publish ended. */
    enum Result {
        /** The broker acknowledged it (PUBACK, PUBCOMP; QoS 0: written). */
        PUBLISHED,
        /** Its deadline passed before it could be sent: never published. */
        EXPIRED,
        /** The broker refused it (an MQTT 5 reason code of 0x80 or above): not published. */
        REFUSED
    }

    /** A result and, for a refusal, what the broker said. */
    record Outcome(Result result, String detail) {
        public static final Outcome PUBLISHED = new Outcome(Result.PUBLISHED, null);
        public static final Outcome EXPIRED = new Outcome(Result.EXPIRED, null);

        public static Outcome refused(String detail) {
            return new Outcome(Result.REFUSED, detail);
        }
    }

    /**
     * Publishes in hand-over order; completes once the broker answered, or with {@link Outcome#EXPIRED} if
     * {@code expiresAt} passed before it could be sent. Completes exceptionally only when the publisher is stopped
     * first.
     */
    CompletionStage<Outcome> publish(Publication publication);
}
