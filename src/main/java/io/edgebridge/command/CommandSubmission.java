package io.edgebridge.command;

import java.time.Duration;
import java.time.Instant;

/**
 * A command asked for through the API, its parameters parsed but not yet checked. Checked against the same
 * {@link CommandLimits} as a command record; the refusals name the API's fields.
 *
 * @param ttl its lifetime, or null for {@code bridge.commands.default-ttl}
 * @param qos null for the default, {@link CommandLimits#DEFAULT_QOS}
 */
public record CommandSubmission(
        String deviceId, String name, byte[] payload, Duration ttl, Integer qos, boolean retain) {

    /** The command, with {@code correlationId} and its deadline counted from {@code now}, or why it cannot run. */
    public CommandCheck check(CommandLimits limits, String correlationId, Instant now) {
        String deviceProblem = limits.idProblem(deviceId);
        if (deviceProblem != null) {
            return new CommandCheck.Refused(
                    CommandRejection.INVALID_DEVICE_ID, "deviceId " + deviceProblem, correlationId, null, null);
        }
        String nameProblem = limits.idProblem(name);
        if (nameProblem != null) {
            return new CommandCheck.Refused(
                    CommandRejection.INVALID_NAME, "name " + nameProblem, correlationId, deviceId, null);
        }
        Duration lifetime = ttl == null ? limits.defaultTtl() : ttl;
        if (!limits.allowsTtl(lifetime)) {
            return refused(
                    CommandRejection.INVALID_EXPIRY,
                    "ttl must be positive and at most " + limits.maxTtl(),
                    correlationId);
        }
        int level = qos == null ? CommandLimits.DEFAULT_QOS : qos;
        if (!limits.allowsQos(level)) {
            return refused(CommandRejection.INVALID_QOS, CommandLimits.QOS_PROBLEM, correlationId);
        }
        byte[] bytes = payload == null ? new byte[0] : payload;
        String payloadProblem = limits.payloadProblem(bytes.length);
        if (payloadProblem != null) {
            return refused(CommandRejection.PAYLOAD_TOO_LARGE, payloadProblem, correlationId);
        }
        return new CommandCheck.Passed(
                new Command(correlationId, deviceId, name, bytes, level, retain, now.plus(lifetime)));
    }

    private CommandCheck.Refused refused(CommandRejection reason, String detail, String correlationId) {
        return new CommandCheck.Refused(reason, detail, correlationId, deviceId, name);
    }
}
