package io.edgebridge.command;

import io.edgebridge.KafkaHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** What one record the status view reads means to this replica. Pure. */
sealed interface ViewRecord {

    /** A status event another replica wrote, or this one before a restart: remember it. */
    record Status(StatusEvent event) implements ViewRecord {}

    /** A device's response, whichever replica forwarded it: wakes whoever waits for the command here. */
    record Response(String correlationId, String deviceId, String name, byte[] body, Instant at)
            implements ViewRecord {}

    /** A status event this replica wrote itself: it remembered it when it wrote it. */
    record Own() implements ViewRecord {}

    /** A record the view cannot use, and why. */
    record Unreadable(String why) implements ViewRecord {}

    ViewRecord OWN = new Own();

    /**
     * Reads a record of the status topic ({@code statusTopic}) or of the response topic (any other), for the
     * replica named {@code replica}.
     */
    static ViewRecord read(ConsumerRecord<?, byte[]> record, String statusTopic, String replica) {
        if (!record.topic().equals(statusTopic)) {
            String correlationId = header(record, KafkaHeaders.CORRELATION_ID);
            if (correlationId == null) {
                return new Unreadable("a response without a " + KafkaHeaders.CORRELATION_ID + " header");
            }
            return new Response(
                    correlationId,
                    header(record, KafkaHeaders.DEVICE_ID),
                    header(record, KafkaHeaders.COMMAND_NAME),
                    record.value(),
                    Instant.ofEpochMilli(record.timestamp()));
        }
        if (replica.equals(header(record, KafkaHeaders.REPLICA))) {
            return OWN;
        }
        try {
            return new Status(StatusEvent.parse(record.value()));
        } catch (IllegalArgumentException e) {
            return new Unreadable("a status event that is " + e.getMessage());
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
