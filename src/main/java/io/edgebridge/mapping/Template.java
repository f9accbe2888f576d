package io.edgebridge.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A text template over named placeholders, e.g. {@code telemetry.{stream}}: a pattern's segments, or names given
 * by the caller. Parsed once; rendering only concatenates.
 */
public final class Template {

    private final String source;
    private final String[] literals; // literal before each segment, then the tail
    private final int[] segmentIndexes;

    private Template(String source, String[] literals, int[] segmentIndexes) {
        this.source = source;
        this.literals = literals;
        this.segmentIndexes = segmentIndexes;
    }

    /** Parses {@code template} against the segments of {@code pattern}; unknown names are an error. */
    public static Template parse(String template, TopicPattern pattern) {
        return parse(
                template,
                pattern::indexOf,
                name -> "'" + template + "' uses {" + name + "}, which is not a segment of '" + pattern
                        + "' (segments: " + pattern.segmentNames() + ")");
    }

    /**
     * Parses {@code template} over the placeholder {@code names}; unknown names are an error. {@link #render} then
     * takes the values in the order of {@code names}.
     */
    public static Template parse(String template, List<String> names) {
        return parse(template, names::indexOf, name -> "'" + template + "' uses {" + name + "}; allowed are " + names);
    }

    private static Template parse(String template, ToIntFunction<String> indexOf, Function<String, String> unknown) {
        if (template == null || template.isEmpty()) {
            throw new IllegalArgumentException("the template is empty");
        }
        List<String> literals = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        int pos = 0;
        while (true) {
            int open = template.indexOf('{', pos);
            int close = template.indexOf('}', pos);
            if (open < 0) {
                if (close >= 0) {
                    throw new IllegalArgumentException("'" + template + "' has a '}' without '{'");
                }
                literals.add(template.substring(pos));
                break;
            }
            if (close >= 0 && close < open) {
                throw new IllegalArgumentException("'" + template + "' has a '}' without '{'");
            }
            close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("'" + template + "' has an unclosed '{'");
            }
            String name = template.substring(open + 1, close);
            int index = indexOf.applyAsInt(name);
            if (index < 0) {
                throw new IllegalArgumentException(unknown.apply(name));
            }
            literals.add(template.substring(pos, open));
            indexes.add(index);
            pos = close + 1;
        }
        return new Template(
                template,
                literals.toArray(String[]::new),
                indexes.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The text with each placeholder replaced by its value: a topic's levels, or the values in the names' order. */
    public String render(String[] values) {
        if (segmentIndexes.length == 0) {
            return literals[0];
        }
        StringBuilder sb = new StringBuilder(source.length() + 16);
        for (int i = 0; i < segmentIndexes.length; i++) {
            sb.append(literals[i]).append(values[segmentIndexes[i]]);
        }
        return sb.append(literals[literals.length - 1]).toString();
    }

    /** The fixed text of the template, without its segments. */
    public String literalText() {
        return String.join("", literals);
    }

    @Override
    public String toString() {
        return source;
    }
}
