package io.edgebridge.mapping.transform;

/**
 * The {@code transform} block of a rule as written, before {@link Transform#compile} checks and compiles it.
 *
 * @param when JSLT condition on the payload; {@code false} means the message is not forwarded. Null: all pass.
 * @param jslt JSLT expression giving an object (one record) or an array of objects (one record each).
 *     Null: the payload itself.
 * @param eventTime JSON pointer into each output record to its event time; null: the records carry none
 * @param maxRecords most records one message may become
 * @param maxOutputBytes most bytes the records of one message may take, serialized
 */
public record TransformSpec(String when, String jslt, String eventTime, int maxRecords, int maxOutputBytes) {

    public static final String WHEN = "when";
    public static final String JSLT = "jslt";
    public static final String EVENT_TIME = "event-time";
    public static final String MAX_RECORDS = "max-records";
    public static final String MAX_OUTPUT_BYTES = "max-output-bytes";

    public static final int DEFAULT_MAX_RECORDS = 100;
    /** Every record of a message is written to Kafka before the message is acknowledged: keep that set small. */
    public static final int MAX_RECORDS_CEILING = 1000;

    public static final int DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024;
    /** Kafka's default largest record is about 1 MiB; the output of one message is held in memory at once. */
    public static final int MAX_OUTPUT_BYTES_CEILING = 1024 * 1024;

    /** A spec with the default limits. */
    public static TransformSpec of(String when, String jslt, String eventTime) {
        return new TransformSpec(when, jslt, eventTime, DEFAULT_MAX_RECORDS, DEFAULT_MAX_OUTPUT_BYTES);
    }
}
