package io.edgebridge.command;

import java.time.Instant;

/** What checking a command gave: a command ready to publish, or why it cannot run. */
public sealed interface CommandCheck permits CommandCheck.Passed, CommandCheck.Refused {

    record Passed(Command command) implements CommandCheck {}

    /** A command that cannot be executed; the ids are those that could be read (else null). */
    record Refused(CommandRejection reason, String detail, String correlationId, String deviceId, String name)
            implements CommandCheck {

        public StatusEvent statusEvent(Instant at) {
            return StatusEvent.rejected(reason, detail, correlationId, deviceId, name, at);
        }
    }
}
