package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class StatusWriterTest {

    @Test
    void aStatusRecordCarriesItsCorrelationIdAndStatusAsHeaders() {
        Headers headers = StatusWriter.headers(StatusEvent.responded("c-1", "d", "n", null, Instant.EPOCH));
        assertEquals(2, headers.toArray().length);
        assertEquals("c-1", new String(headers.lastHeader("correlation-id").value(), StandardCharsets.UTF_8));
        assertEquals(
                "responded", new String(headers.lastHeader("command-status").value(), StandardCharsets.UTF_8));
    }
}
