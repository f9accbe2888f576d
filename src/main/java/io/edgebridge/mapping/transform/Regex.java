package io.edgebridge.mapping.transform;

import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** A regular expression compiled with the transform, with the names of its groups for {@code capture}. */
record Regex(String text, Pattern pattern, List<String> groups) {

    /** {@link IllegalArgumentException} when {@code text} is not a valid expression. */
    static Regex compile(String text) {
        return new Regex(text, Pattern.compile(text), namedGroups(text));
    }

    /** Names of {@code (?<name>...)} groups, sorted as JSLT does; lookbehinds {@code (?<=}/{@code (?<!} aren't. */
    private static List<String> namedGroups(String text) {
        TreeSet<String> names = new TreeSet<>();
        for (int i = 0; i + 3 < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
                continue;
            }
            if (!text.startsWith("(?<", i) || !isLetter(text.charAt(i + 3))) {
                continue;
            }
            int end = i + 4;
            while (end < text.length() && (isLetter(text.charAt(end)) || Character.isDigit(text.charAt(end)))) {
                end++;
            }
            if (end < text.length() && text.charAt(end) == '>') {
                names.add(text.substring(i + 3, end));
            }
        }
        return List.copyOf(names);
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
