package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status topic's value: what consumers of the status topic parse. */
class StatusEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant DEADLINE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Command COMMAND = new Command("c-1", "dev \"7\"", "reboot", new byte[0], 1, false, DEADLINE);

    @Test
    void everyFieldIsWrittenAsJsonWithIsoTimes() throws Exception {
        StatusEvent event = StatusEvent.expired(
                COMMAND, "no response before 2026-01-01T00:00:00Z", Instant.parse("2026-01-01T00:00:01.5Z"));

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
        StatusEvent event = StatusEvent.responded("c-2", null, null, null, DEADLINE);

        JsonNode value = JSON.readTree(event.toBytes());

        assertEquals(3, value.size(), value.toString());
        assertEquals("responded", value.get("status").asText());
        for (String absent : new String[] {"deviceId", "name", "reason", "detail", "expiresAt"}) {
            assertFalse(value.has(absent), absent);
        }
    }

    @Test
    void eachFactorySetsTheFieldsOfItsStatus() {
        Instant at = DEADLINE.minusSeconds(5);
        StatusEvent accepted = StatusEvent.accepted(COMMAND, at);
        assertEquals(CommandStatus.ACCEPTED, accepted.status());
        assertEquals(DEADLINE, accepted.expiresAt());
        assertNull(accepted.reason());
        StatusEvent published = StatusEvent.published(COMMAND, at);
        assertEquals(CommandStatus.PUBLISHED, published.status());
        assertEquals("dev \"7\"", published.deviceId());

        StatusEvent timedOut = published.timedOut(DEADLINE);
        assertEquals(CommandStatus.TIMED_OUT, timedOut.status());
        assertEquals("no-response", timedOut.reason());
        assertEquals("no response before 2026-01-01T00:00:00Z", timedOut.detail());
        assertEquals(DEADLINE, timedOut.at());
        assertEquals("reboot", timedOut.name());

        StatusEvent rejected =
                StatusEvent.rejected(CommandRejection.INVALID_QOS, "qos must be 0, 1 or 2", "c-3", "d", null, at);
        assertEquals(CommandStatus.REJECTED, rejected.status());
        assertEquals("invalid-qos", rejected.reason());
        assertNull(rejected.expiresAt());

        StatusEvent responded = StatusEvent.responded("c-1", "d", "reboot", DEADLINE, at);
        assertEquals(CommandStatus.RESPONDED, responded.status());
        assertNull(responded.reason());
        assertEquals(DEADLINE, responded.expiresAt());
    }

    @Test
    void whatIsWrittenIsReadBackAsTheSameEvent() {
        Instant at = Instant.parse("2026-01-01T00:00:00.123456Z");
        StatusEvent published = StatusEvent.published(COMMAND, at);
        for (StatusEvent event : List.of(
                StatusEvent.accepted(COMMAND, at),
                published,
                published.timedOut(at.plusSeconds(1)),
                StatusEvent.expired(COMMAND, "late", at),
                StatusEvent.rejected(CommandRejection.INVALID_QOS, "qos must be 0, 1 or 2", "c-3", null, null, at),
                StatusEvent.responded("c-1", "d", null, null, at))) {
            assertEquals(
                    event, StatusEvent.parse(event.toBytes()), event.status().code());
        }
    }

    @Test
    void aValueThatIsNoStatusEventIsRefusedSayingWhy() {
        for (String[] bad : new String[][] {
            {"not json", "not JSON"},
            {"[1]", "not a JSON object"},
            {"{\"status\":\"published\",\"at\":\"2026-01-01T00:00:00Z\"}", "required"},
            {"{\"correlationId\":\"c\",\"status\":\"lost\",\"at\":\"2026-01-01T00:00:00Z\"}", "'lost'"},
            {"{\"correlationId\":\"c\",\"status\":\"published\",\"at\":\"yesterday\"}", "ISO-8601"}
        }) {
            IllegalArgumentException refused = assertThrows(
                    IllegalArgumentException.class,
                    () -> StatusEvent.parse(bad[0].getBytes(StandardCharsets.UTF_8)),
                    bad[0]);
            assertTrue(refused.getMessage().contains(bad[1]), refused.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> StatusEvent.parse(null));
    }
}
