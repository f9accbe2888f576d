package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.mapping.TopicLevelCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CommandParserTest {

    private static final Instant RECORD_TIME = Instant.parse("2026-11-23T10:00:00Z");
    private final CommandParser parser =
            new CommandParser(new CommandLimits(16, 32, Duration.ofSeconds(60), Duration.ofHours(1)));

    private CommandCheck parse(String key, String value) {
        return parser.parse(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), RECORD_TIME, "t-0-7");
    }

    private Command command(String key, String value) {
        return assertInstanceOf(CommandCheck.Passed.class, parse(key, value)).command();
    }

    private String refusal(String key, String value) {
        return assertInstanceOf(CommandCheck.Refused.class, parse(key, value))
                .reason()
                .code();
    }

    @Test
    void aFullCommandKeepsEveryField() {
        Command c = command(
                "dev-1",
                "{\"name\":\"reboot\",\"payload\":{\"in\":5},\"correlationId\":\"abc\","
                        + "\"expiresAt\":\"2026-11-23T10:05:00Z\",\"qos\":2,\"retain\":true}");
        assertEquals("dev-1", c.deviceId());
        assertEquals("reboot", c.name());
        assertEquals("abc", c.correlationId());
        assertEquals("{\"in\":5}", new String(c.payload(), StandardCharsets.UTF_8));
        assertEquals(2, c.qos());
        assertTrue(c.retain());
        assertEquals(Instant.parse("2026-11-23T10:05:00Z"), c.expiresAt());
    }

    @Test
    void defaultsCountFromTheRecordTimestampAndTheCorrelationIdFromItsPosition() {
        Command c = command("dev-1", "{\"name\":\"ping\"}");
        assertEquals("t-0-7", c.correlationId(), "a replayed record keeps its id");
        assertEquals(RECORD_TIME.plusSeconds(60), c.expiresAt());
        assertEquals(1, c.qos());
        assertFalse(c.retain());
        assertEquals(0, c.payload().length);
        assertEquals(
                RECORD_TIME.plusSeconds(5),
                command("dev-1", "{\"name\":\"ping\",\"ttlSeconds\":5}").expiresAt());
        assertTrue(c.isExpired(RECORD_TIME.plusSeconds(60)));
        assertFalse(c.isExpired(RECORD_TIME.plusSeconds(59)));
    }

    @Test
    void payloadIsTextAsIsJsonAsCompactJsonOrBase64Bytes() {
        assertEquals(
                "on",
                new String(command("d", "{\"name\":\"n\",\"payload\":\"on\"}").payload(), StandardCharsets.UTF_8));
        assertEquals(
                "[1,2]",
                new String(command("d", "{\"name\":\"n\",\"payload\":[1, 2]}").payload(), StandardCharsets.UTF_8));
        assertArrayEquals(
                new byte[] {0, (byte) 0xff},
                command("d", "{\"name\":\"n\",\"payloadBase64\":\"AP8=\"}").payload());
    }

    @Test
    void everyFlawHasItsReason() {
        assertEquals("invalid-json", refusal("d", "{nope"));
        assertEquals("invalid-json", refusal("d", "[1]"));
        assertEquals("invalid-json", refusal("d", null));
        assertEquals("invalid-device-id", refusal("a/b", "{\"name\":\"n\"}"));
        assertEquals("invalid-device-id", refusal(null, "{\"name\":\"n\"}"));
        assertEquals("invalid-device-id", refusal("#", "{\"name\":\"n\"}"));
        assertEquals("invalid-name", refusal("d", "{}"));
        assertEquals("invalid-name", refusal("d", "{\"name\":\"a+b\"}"));
        assertEquals("invalid-name", refusal("d", "{\"name\":7}"));
        assertEquals("invalid-correlation-id", refusal("d", "{\"name\":\"n\",\"correlationId\":\"x/y\"}"));
        assertEquals("invalid-field", refusal("d", "{\"name\":\"n\",\"colour\":\"red\"}"));
        assertEquals("invalid-field", refusal("d", "{\"name\":\"n\",\"retain\":\"yes\"}"));
        assertEquals("invalid-qos", refusal("d", "{\"name\":\"n\",\"qos\":3}"));
        assertEquals("invalid-qos", refusal("d", "{\"name\":\"n\",\"qos\":\"1\"}"));
        assertEquals("invalid-expiry", refusal("d", "{\"name\":\"n\",\"ttlSeconds\":0}"));
        assertEquals("invalid-expiry", refusal("d", "{\"name\":\"n\",\"ttlSeconds\":7200}"));
        assertEquals("invalid-expiry", refusal("d", "{\"name\":\"n\",\"expiresAt\":\"tomorrow\"}"));
        assertEquals(
                "invalid-expiry",
                refusal("d", "{\"name\":\"n\",\"expiresAt\":\"2026-11-23T10:00:01Z\",\"ttlSeconds\":1}"));
        assertEquals("invalid-payload", refusal("d", "{\"name\":\"n\",\"payloadBase64\":\"***\"}"));
        assertEquals("invalid-payload", refusal("d", "{\"name\":\"n\",\"payload\":\"a\",\"payloadBase64\":\"AA==\"}"));
        assertEquals("payload-too-large", refusal("d", "{\"name\":\"n\",\"payload\":\"" + "x".repeat(17) + "\"}"));
    }

    @Test
    void aRefusalKeepsTheIdsItCouldRead() {
        CommandCheck.Refused refused = assertInstanceOf(
                CommandCheck.Refused.class, parse("dev-1", "{\"name\":\"go\",\"correlationId\":\"c-1\",\"qos\":9}"));
        StatusEvent event = refused.statusEvent(RECORD_TIME);
        assertEquals("c-1", event.correlationId());
        assertEquals("dev-1", event.deviceId());
        assertEquals("go", event.name());
        assertEquals(CommandStatus.REJECTED, event.status());
        assertNull(assertInstanceOf(CommandCheck.Refused.class, parse("a/b", "{\"name\":\"go\"}"))
                .deviceId());
    }

    @Test
    void topicLevelsMustBeSingleSafeLevels() {
        assertNull(TopicLevelCheck.problem("sensor-001_A.b:c@d", 32));
        assertNull(TopicLevelCheck.problem("Gerät-ü-日本", 32));
        for (String bad : new String[] {
            "",
            "a/b",
            "+",
            "#",
            "x#",
            "$SYS",
            "a\u0000b",
            "a\tb",
            "a b",
            "a\u200Bb",
            "a\u202Eb",
            "\uD800",
            "x".repeat(33)
        }) {
            assertTrue(TopicLevelCheck.problem(bad, 32) != null, "refused: " + bad);
        }
        assertTrue(TopicLevelCheck.problem(null, 32) != null);
    }
}
