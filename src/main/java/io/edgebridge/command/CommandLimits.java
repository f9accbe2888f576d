package io.edgebridge.command;

import io.edgebridge.mapping.TopicLevelCheck;
import java.time.Duration;
import java.time.Instant;

/**
 * The rules every command is checked against, whether it is a record of the commands topic ({@link CommandParser})
 * or comes through the REST API ({@link CommandSubmission}): ids, QoS, lifetime and payload size, in one place.
 */
public record CommandLimits(int maxPayloadBytes, int maxIdLength, Duration defaultTtl, Duration maxTtl) {

    /** The QoS of a command that names none. */
    public static final int DEFAULT_QOS = 1;

    /** Why a QoS is refused, whatever the value. */
    public static final String QOS_PROBLEM = "qos must be 0, 1 or 2";

    /** Null when {@code value} may be a device id, command name or correlation id, else what is wrong with it. */
    public String idProblem(String value) {
        return TopicLevelCheck.problem(value, maxIdLength);
    }

    /** MQTT's QoS 0, 1 and 2. */
    boolean allowsQos(int qos) {
        return qos >= 0 && qos <= 2;
    }

    /** A lifetime a command may ask for: positive and at most {@code bridge.commands.max-ttl}. */
    boolean allowsTtl(Duration ttl) {
        return !ttl.isNegative() && !ttl.isZero() && ttl.compareTo(maxTtl) <= 0;
    }

    /** A deadline a command made at {@code from} may have: at most {@code bridge.commands.max-ttl} later. */
    boolean allowsExpiry(Instant expiresAt, Instant from) {
        return !expiresAt.isAfter(from.plus(maxTtl));
    }

    /** Null when a payload of {@code bytes} may be published, else what is wrong with it. */
    String payloadProblem(int bytes) {
        return bytes <= maxPayloadBytes
                ? null
                : "the payload has " + bytes + " bytes; the limit is " + maxPayloadBytes
                        + " (bridge.commands.max-payload-bytes)";
    }
}
