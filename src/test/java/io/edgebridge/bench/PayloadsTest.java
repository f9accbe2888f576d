package io.edgebridge.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark's bodies: the far end must find the numbers in them, before and after a transform. */
class PayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aJsonMessageHasTheScenarioSizeAndTheIssuesShape() throws Exception {
        byte[] payload = Payloads.json(999, 1_234_567, 9_123_456_789_012_345L, 256);

        assertEquals(256, payload.length);
        JsonNode message = JSON.readTree(payload);
        assertEquals("999:1234567:9123456789012345:", message.path("id").asText());
        assertEquals(3, message.path("readings").size());
        assertEquals(false, message.path("test").asBoolean());
    }

    @Test
    void theNumbersAreReadFromPlainAndJsonBodiesAndFromATransformsOutput() {
        long[] expected = {7, 12, 123_456_789_012_345L};

        assertArrayEquals(expected, Payloads.parse(Payloads.of(7, 12, 123_456_789_012_345L, 256)));
        assertArrayEquals(expected, Payloads.parse(Payloads.json(7, 12, 123_456_789_012_345L, 256)));
        // as the bench's JSLT rule writes it (packaged bridge's try mode)
        String transformed = "{\"id\":\"7:12:123456789012345:\",\"device\":\"7\",\"location\":\"site-7\",\"count\":3}";
        assertArrayEquals(expected, Payloads.parse(transformed.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aSplitsOtherRecordsAreNotOurs() {
        String second = "{\"device\":\"7\",\"location\":\"site-7\",\"celsius\":23.05,\"ts\":1714564812250}";

        assertNull(Payloads.parse(second.getBytes(StandardCharsets.US_ASCII)));
    }
}
