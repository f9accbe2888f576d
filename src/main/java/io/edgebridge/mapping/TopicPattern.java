package io.edgebridge.mapping;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An MQTT topic pattern with named single-level segments, e.g. {@code devices/{deviceId}/telemetry}.
 * Parsed once at startup; matching splits the topic by hand and compares levels (no regex).
 */
public final class TopicPattern {

    private final String source;
    private final String[] literals; // null where the level is a named segment
    private final String[] names; // null where the level is a literal

    private TopicPattern(String source, String[] literals, String[] names) {
        this.source = source;
        this.literals = literals;
        this.names = names;
    }

    public static TopicPattern parse(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("the MQTT topic pattern is empty");
        }
        String[] levels = TopicLevels.split(pattern);
        String[] literals = new String[levels.length];
        String[] names = new String[levels.length];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.startsWith("{") && level.endsWith("}") && level.length() > 2) {
                String name = level.substring(1, level.length() - 1);
                if (!isSegmentName(name)) {
                    throw new IllegalArgumentException("segment '" + level + "' of '" + pattern
                            + "': names are a letter followed by letters or digits");
                }
                if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException(
                            "segment name '" + name + "' appears twice in '" + pattern + "'");
                }
                names[i] = name;
            } else if (level.indexOf('{') >= 0 || level.indexOf('}') >= 0) {
                throw new IllegalArgumentException(
                        "level '" + level + "' of '" + pattern + "' must be either a literal or a whole {name}");
            } else if (level.indexOf('+') >= 0 || level.indexOf('#') >= 0 || level.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("level '" + level + "' of '" + pattern
                        + "' contains a wildcard or NUL; use a named segment such as {deviceId} instead");
            } else {
                literals[i] = level;
            }
        }
        return new TopicPattern(pattern, literals, names);
    }

    static boolean isSegmentName(String name) {
        if (name.isEmpty() || name.length() > 20 || !isAsciiLetter(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** The MQTT subscription filter: every named segment becomes {@code +}. */
    public String subscriptionFilter() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < literals.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(names[i] != null ? "+" : literals[i]);
        }
        return sb.toString();
    }

    /** Whether a topic's levels fit the pattern: same count, and every literal level equal. */
    boolean matches(String[] levels) {
        if (levels.length != literals.length) {
            return false;
        }
        for (int i = 0; i < levels.length; i++) {
            if (literals[i] != null && !literals[i].equals(levels[i])) {
                return false;
            }
        }
        return true;
    }

    /** Position of the named segment, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (name.equals(names[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Named segments in topic order. */
    public List<String> segmentNames() {
        List<String> result = new ArrayList<>();
        for (String name : names) {
            if (name != null) {
                result.add(name);
            }
        }
        return result;
    }

    public int levelCount() {
        return literals.length;
    }

    @Override
    public String toString() {
        return source;
    }
}
