package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** What the status view makes of each record it reads: others' statuses, its own, responses, and rubbish. */
class ViewRecordTest {

    private static final String STATUS = "device-command-status";
    private static final String RESPONSES = "device-command-responses";
    private static final String ME = "pod-0-aaaaaaaa";
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final Command COMMAND = new Command("c-1", "dev", "open", new byte[0], 1, false, AT);

    private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(
                topic,
                0,
                7,
                AT.toEpochMilli(),
                TimestampType.CREATE_TIME,
                -1,
                -1,
                null,
                value,
                headers,
                Optional.empty());
    }

    private static ConsumerRecord<byte[], byte[]> status(StatusEvent event, String replica) {
        return record(STATUS, event.toBytes(), (RecordHeaders) StatusWriter.headers(event, replica));
    }

    @Test
    void anotherReplicasStatusEventIsRemembered() {
        StatusEvent published = StatusEvent.published(COMMAND, AT);
        assertEquals(
                new ViewRecord.Status(published), ViewRecord.read(status(published, "pod-1-bbbbbbbb"), STATUS, ME));
    }

    @Test
    void itsOwnIsSkippedButWhatItWroteBeforeARestartIsNot() {
        StatusEvent published = StatusEvent.published(COMMAND, AT);
        assertSame(ViewRecord.OWN, ViewRecord.read(status(published, ME), STATUS, ME));
        assertEquals(
                new ViewRecord.Status(published), ViewRecord.read(status(published, "pod-0-cccccccc"), STATUS, ME));
        assertEquals(
                new ViewRecord.Status(published),
                ViewRecord.read(record(STATUS, published.toBytes(), new RecordHeaders()), STATUS, ME),
                "written by a bridge before replicas named themselves");
    }

    @Test
    void aResponseCarriesItsIdsBodyAndTime() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("correlation-id", "c-1".getBytes(StandardCharsets.UTF_8));
        headers.add("device-id", "dev".getBytes(StandardCharsets.UTF_8));
        headers.add("command-name", "open".getBytes(StandardCharsets.UTF_8));
        byte[] body = "{\"done\":true}".getBytes(StandardCharsets.UTF_8);
        ViewRecord.Response response =
                (ViewRecord.Response) ViewRecord.read(record(RESPONSES, body, headers), STATUS, ME);
        assertEquals("c-1", response.correlationId());
        assertEquals("dev", response.deviceId());
        assertEquals("open", response.name());
        assertArrayEquals(body, response.body());
        assertEquals(AT, response.at());
    }

    @Test
    void whatCannotBeUsedSaysWhy() {
        ViewRecord noId = ViewRecord.read(record(RESPONSES, new byte[0], new RecordHeaders()), STATUS, ME);
        assertTrue(((ViewRecord.Unreadable) noId).why().contains("correlation-id"), noId.toString());
        ViewRecord garbage = ViewRecord.read(
                record(STATUS, "{\"status\":\"lost\"}".getBytes(StandardCharsets.UTF_8), new RecordHeaders()),
                STATUS,
                ME);
        assertTrue(((ViewRecord.Unreadable) garbage).why().contains("required"), garbage.toString());
        ViewRecord empty = ViewRecord.read(record(STATUS, null, new RecordHeaders()), STATUS, ME);
        assertTrue(empty instanceof ViewRecord.Unreadable, empty.toString());
    }
}
