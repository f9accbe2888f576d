package io.edgebridge.mapping;

/**
 * Whether a value may become one level of an MQTT topic the bridge publishes to. A device id such as
 * {@code a/b}, {@code +} or {@code #} would otherwise address other devices' topics or subscribe-only filters.
 */
public final class TopicLevelCheck {

    private TopicLevelCheck() {}

    /** Null when {@code value} is a safe single topic level, otherwise what is wrong with it. */
    public static String problem(String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return "must not be empty";
        }
        if (value.length() > maxLength) {
            return "is longer than " + maxLength + " characters";
        }
        if (value.charAt(0) == '$') {
            return "must not start with '$' (reserved for broker topics)";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '+' || c == '#') {
                return "must be a single MQTT topic level without '/', '+' or '#'";
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            int type = Character.getType(c);
            if (type == Character.CONTROL
                    || type == Character.FORMAT
                    || type == Character.SURROGATE
                    || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE
                    || Character.isWhitespace(c)
                    || Character.isSpaceChar(c)) {
                return String.format(
                        "must not contain control, format, space or unassigned characters (U+%04X at %d)", (int) c, i);
            }
        }
        return null;
    }
}
