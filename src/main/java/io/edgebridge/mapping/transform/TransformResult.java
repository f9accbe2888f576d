package io.edgebridge.mapping.transform;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * What one evaluation of a {@link Transform} decided: exactly one of {@link Records}, {@link Filtered} and
 * {@link Failed}. Each carries the time the evaluation took, so the caller can keep a timer per rule.
 */
public sealed interface TransformResult {

    /** Wall-clock nanoseconds the evaluation took, the payload's checks and serialization included. */
    long nanos();

    /** Forward these records, in this order: the message is delivered when all of them are. */
    record Records(List<OutputRecord> records, long nanos) implements TransformResult {
        public Records {
            records = List.copyOf(records);
        }
    }

    /** Not forwarded on purpose: acknowledge the message and count it, no dead letter. */
    record Filtered(String cause, long nanos) implements TransformResult {}

    /** Not forwarded because of an error: dead-letter the message with {@code reason.code()} and the detail. */
    record Failed(Reason reason, String detail, long nanos) implements TransformResult {}

    /**
     * One output record.
     *
     * @param value the record as JSON (always an object)
     * @param json {@code value} serialized as UTF-8, ready to be the Kafka record value
     * @param eventTime read from the record through the {@code event-time} pointer; null when none is configured
     */
    record OutputRecord(JsonNode value, byte[] json, Instant eventTime) {}

    /** Why a message failed; {@link #code()} is the dead-letter reason. */
    enum Reason {
        /** The expression raised an error (the detail has its message and position), or gave up on a limit. */
        TRANSFORM_ERROR("transform-error"),
        /** Not an object or an array of objects, more than max-records, or more than max-output-bytes. */
        INVALID_TRANSFORM_OUTPUT("invalid-transform-output"),
        /** A record's event time is missing, not epoch milliseconds or RFC 3339, or out of range. */
        INVALID_EVENT_TIME("invalid-event-time");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
