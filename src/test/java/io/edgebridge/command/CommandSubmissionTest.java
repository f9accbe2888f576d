package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A command through the API is checked like a command record; the refusals name the API's fields. */
class CommandSubmissionTest {

    private static final CommandLimits LIMITS = new CommandLimits(8, 16, Duration.ofSeconds(60), Duration.ofHours(1));
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private static CommandCheck.Refused refused(CommandSubmission submission) {
        return assertInstanceOf(CommandCheck.Refused.class, submission.check(LIMITS, "c-1", NOW));
    }

    @Test
    void defaultsAreTheCommandDefaults() {
        Command command = assertInstanceOf(
                        CommandCheck.Passed.class,
                        new CommandSubmission("dev", "ping", null, null, null, false).check(LIMITS, "c-1", NOW))
                .command();
        assertEquals(NOW.plusSeconds(60), command.expiresAt());
        assertEquals(1, command.qos());
        assertEquals(0, command.payload().length);
        assertEquals("c-1", command.correlationId());
    }

    @Test
    void eachFlawHasItsReasonAndADetailNamingTheField() {
        CommandCheck.Refused device = refused(new CommandSubmission("a/b", "ping", null, null, null, false));
        assertEquals(CommandRejection.INVALID_DEVICE_ID, device.reason());
        assertEquals("deviceId must be a single MQTT topic level without '/', '+' or '#'", device.detail());
        CommandCheck.Refused name = refused(new CommandSubmission("dev", "", null, null, null, false));
        assertEquals(CommandRejection.INVALID_NAME, name.reason());
        assertEquals("name must not be empty", name.detail());
        CommandCheck.Refused ttl = refused(new CommandSubmission("dev", "n", null, Duration.ofHours(2), null, false));
        assertEquals(CommandRejection.INVALID_EXPIRY, ttl.reason());
        assertEquals("ttl must be positive and at most PT1H", ttl.detail());
        assertEquals(
                CommandRejection.INVALID_EXPIRY,
                refused(new CommandSubmission("dev", "n", null, Duration.ZERO, null, false))
                        .reason());
        CommandCheck.Refused qos = refused(new CommandSubmission("dev", "n", null, null, 3, false));
        assertEquals(CommandRejection.INVALID_QOS, qos.reason());
        assertEquals("qos must be 0, 1 or 2", qos.detail());
        CommandCheck.Refused size = refused(new CommandSubmission("dev", "n", new byte[9], null, null, false));
        assertEquals(CommandRejection.PAYLOAD_TOO_LARGE, size.reason());
        assertEquals("the payload has 9 bytes; the limit is 8 (bridge.commands.max-payload-bytes)", size.detail());
    }
}
