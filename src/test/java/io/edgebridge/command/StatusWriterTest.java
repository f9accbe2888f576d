package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class StatusWriterTest {

    @Test
    void aStatusRecordCarriesItsCorrelationIdStatusAndReplicaAsHeaders() {
        Headers headers =
                StatusWriter.headers(StatusEvent.responded("c-1", "d", "n", null, Instant.EPOCH), "pod-0-1a2b3c4d");
        assertEquals(3, headers.toArray().length);
        assertEquals(
                "pod-0-1a2b3c4d",
                new String(headers.lastHeader("bridge-replica").value(), StandardCharsets.UTF_8));
        assertEquals("c-1", new String(headers.lastHeader("correlation-id").value(), StandardCharsets.UTF_8));
        assertEquals(
                "responded", new String(headers.lastHeader("command-status").value(), StandardCharsets.UTF_8));
    }

    @Test
    void aReplicaIsNamedAfterItsHostAndNewAtEachStart() {
        String first = StatusWriter.replicaName("edge-bridge-7d9f-x2k4q");
        String second = StatusWriter.replicaName("edge-bridge-7d9f-x2k4q");
        assertTrue(first.matches("edge-bridge-7d9f-x2k4q-[0-9a-f]{8}"), first);
        assertNotEquals(first, second, "a restart is a new replica to the views");
        assertTrue(StatusWriter.replicaName(null).matches("edge-bridge-[0-9a-f]{8}"));
    }
}
