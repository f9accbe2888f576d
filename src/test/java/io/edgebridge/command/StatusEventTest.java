package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The status topic's value: what consumers of the status topic parse. */
class StatusEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyFieldIsWrittenAsJsonWithIsoTimes() throws Exception {
        StatusEvent event = new StatusEvent(
                "c-1",
                "dev \"7\"",
                "reboot",
                CommandStatus.EXPIRED,
                "expired",
                "no response before 2026-01-01T00:00:00Z",
                Instant.parse("2026-01-01T00:00:01.5Z"),
                Instant.parse("2026-01-01T00:00:00Z"));

        JsonNode value = JSON.readTree(event.toBytes());

        assertEquals("c-1", value.get("correlationId").asText());
        assertEquals("dev \"7\"", value.get("deviceId").asText(), "quotes are escaped, not breaking the JSON");
        assertEquals("reboot", value.get("name").asText());
        assertEquals("expired", value.get("status").asText());
        assertEquals("expired", value.get("reason").asText());
        assertEquals(
                "no response before 2026-01-01T00:00:00Z", value.get("detail").asText());
        assertEquals("2026-01-01T00:00:01.500Z", value.get("at").asText());
        assertEquals("2026-01-01T00:00:00Z", value.get("expiresAt").asText());
        assertEquals(value, event.toJson(), "the REST API shows the same fields");
    }

    @Test
    void unsetFieldsAreLeftOutNotWrittenAsNull() throws Exception {
        StatusEvent event = new StatusEvent(
                "c-2", null, null, CommandStatus.REJECTED, null, null, Instant.parse("2026-01-01T00:00:00Z"), null);

        JsonNode value = JSON.readTree(event.toBytes());

        assertEquals(3, value.size(), value.toString());
        assertEquals("rejected", value.get("status").asText());
        for (String absent : new String[] {"deviceId", "name", "reason", "detail", "expiresAt"}) {
            assertFalse(value.has(absent), absent);
        }
    }
}
