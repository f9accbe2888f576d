package io.edgebridge.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * A text template over a pattern's named segments, e.g. {@code telemetry.{stream}}.
 * Parsed once; rendering only concatenates.
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
            int index = pattern.indexOf(name);
            if (index < 0) {
                throw new IllegalArgumentException("'" + template + "' uses {" + name + "}, which is not a segment of '"
                        + pattern + "' (segments: " + pattern.segmentNames() + ")");
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

    public String render(String[] levels) {
        if (segmentIndexes.length == 0) {
            return literals[0];
        }
        StringBuilder sb = new StringBuilder(source.length() + 16);
        for (int i = 0; i < segmentIndexes.length; i++) {
            sb.append(literals[i]).append(levels[segmentIndexes[i]]);
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
