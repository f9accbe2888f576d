package io.edgebridge.telemetry;

import java.util.List;

/**
 * A message a rule's transform decided on: its records, in order (one event per record, or one dead letter), or
 * none when the transform filtered it out.
 *
 * @param records in the order they are written; empty when filtered
 * @param filteredBecause why nothing is forwarded, when {@code records} is empty; null otherwise
 * @param nanos how long the transform took
 */
public record Transformed(String rule, List<KafkaRecordPlan> records, String filteredBecause, long nanos)
        implements Routing {

    public Transformed {
        records = List.copyOf(records);
    }

    public boolean isFiltered() {
        return records.isEmpty();
    }

    /** The transform failed: the message itself goes to the dead-letter topic, as the only record. */
    public boolean isDeadLetter() {
        return records.size() == 1 && records.get(0).isDeadLetter();
    }
}
