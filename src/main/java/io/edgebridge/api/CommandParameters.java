package io.edgebridge.api;

import static io.edgebridge.api.ApiProblem.badRequest;

import io.edgebridge.command.CommandCheck;
import io.edgebridge.command.CommandLimits;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The query parameters of a command request, read strictly: a bad one is a 400 problem naming it. Which values a
 * command may have is the command's rule ({@code CommandSubmission}); its refusal becomes a problem here too.
 */
final class CommandParameters {

    private CommandParameters() {}

    /** {@code ttl}, null when absent. */
    static Duration ttl(String value) {
        return value == null ? null : duration("ttl", value);
    }

    /** {@code qos}, null when absent: a whole number written plainly (no sign, no leading zero). */
    static Integer qos(String value) {
        if (value == null) {
            return null;
        }
        if (!value.matches("0|[1-9][0-9]{0,8}")) {
            throw badRequest("invalid-qos", CommandLimits.QOS_PROBLEM);
        }
        return Integer.parseInt(value);
    }

    /** {@code retain}: absent or {@code false}, or {@code true} (also written without a value). */
    static boolean retain(String value) {
        return bool("retain", value);
    }

    /** How long to hold the request, null when absent: the API's own limit, {@code bridge.api.max-wait}. */
    static Duration wait(String value, Duration max) {
        if (value == null) {
            return null;
        }
        Duration parsed = duration("wait", value);
        if (parsed.isNegative() || parsed.isZero() || parsed.compareTo(max) > 0) {
            throw badRequest("invalid-wait", "wait must be positive and at most " + max);
        }
        return parsed;
    }

    /** A refused submission as the API's problem: its type, status and title, the submission's detail. */
    static ApiProblem problem(CommandCheck.Refused refused) {
        return switch (refused.reason()) {
            case INVALID_DEVICE_ID -> badRequest("invalid-deviceid", refused.detail());
            case INVALID_NAME -> badRequest("invalid-name", refused.detail());
            case INVALID_EXPIRY -> badRequest("invalid-ttl", refused.detail());
            case INVALID_QOS -> badRequest("invalid-qos", refused.detail());
            case PAYLOAD_TOO_LARGE -> new ApiProblem(413, "payload-too-large", "Payload Too Large", refused.detail());
            default -> badRequest(refused.reason().code(), refused.detail());
        };
    }

    /** ISO-8601 ({@code PT30S}) or whole seconds; whether the length is allowed is for the caller to say. */
    private static Duration duration(String what, String value) {
        try {
            return value.chars().allMatch(Character::isDigit) && !value.isEmpty() && value.length() < 10
                    ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw badRequest(
                    "invalid-" + what, what + " must be an ISO-8601 duration such as" + " PT30S, or whole seconds");
        }
    }

    private static boolean bool(String what, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        throw badRequest("invalid-" + what, what + " must be true or false");
    }
}
