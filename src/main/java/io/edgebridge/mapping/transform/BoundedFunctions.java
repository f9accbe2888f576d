package io.edgebridge.mapping.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.schibsted.spt.data.jslt.Function;
import com.schibsted.spt.data.jslt.JsltException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replacements for JSLT's built-ins that could run or grow without bound on a payload, with the same results
 * otherwise. The regex functions use only expressions compiled with the transform (never one from the payload, and
 * no cache shared between threads) and stop after a number of steps that grows with the input; {@code replace} and
 * {@code join} stop at a length limit (JSLT's {@code replace} allocates input length times replacement length).
 */
final class BoundedFunctions {

    /** Characters a regular expression may read per character of input, plus a fixed allowance. */
    static final long REGEX_STEPS_PER_CHAR = 100;

    static final long REGEX_STEPS_BASE = 100_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BoundedFunctions() {}

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

    /** The functions to compile an expression with; they shadow JSLT's built-ins of the same names. */
    static List<Function> all(Map<String, Regex> regexes, int maxChars) {
        return List.of(
                new Test(regexes),
                new Capture(regexes),
                new Split(regexes),
                new Replace(regexes, maxChars),
                new Join(maxChars));
    }

    private abstract static class Bounded implements Function {
        private final String name;
        private final int arguments;

        Bounded(String name, int arguments) {
            this.name = name;
            this.arguments = arguments;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public int getMinArguments() {
            return arguments;
        }

        @Override
        public int getMaxArguments() {
            return arguments;
        }
    }

    private abstract static class RegexFunction extends Bounded {
        private final Map<String, Regex> regexes;

        RegexFunction(String name, int arguments, Map<String, Regex> regexes) {
            super(name, arguments);
            this.regexes = regexes;
        }

        /** The regex compiled for this literal; the syntax check made every regex argument one. */
        Regex regex(JsonNode regexArgument) {
            Regex regex = regexArgument.isTextual() ? regexes.get(regexArgument.asText()) : null;
            if (regex == null) {
                throw new JsltException(getName() + "(): regular expression not compiled with the transform");
            }
            return regex;
        }

        Matcher matcher(Regex regex, String input) {
            return regex.pattern().matcher(new CountedChars(input, getName(), regex.text()));
        }
    }

    private static final class Test extends RegexFunction {
        Test(Map<String, Regex> regexes) {
            super("test", 2, regexes);
        }

        @Override
        public JsonNode call(JsonNode input, JsonNode[] arguments) {
            if (arguments[0].isNull()) {
                return BooleanNode.FALSE;
            }
            return BooleanNode.valueOf(
                    matcher(regex(arguments[1]), text(arguments[0])).find());
        }
    }

    private static final class Capture extends RegexFunction {
        Capture(Map<String, Regex> regexes) {
            super("capture", 2, regexes);
        }

        @Override
        public JsonNode call(JsonNode input, JsonNode[] arguments) {
            if (arguments[0].isNull()) {
                return arguments[0];
            }
            Regex regex = regex(arguments[1]);
            Matcher matcher = matcher(regex, text(arguments[0]));
            ObjectNode groups = NODES.objectNode();
            if (matcher.find()) {
                for (String group : regex.groups()) {
                    try {
                        groups.put(group, matcher.group(group));
                    } catch (IllegalArgumentException ignored) {
                        // a name that looked like a group but is not one (e.g. inside a character class)
                    }
                }
            }
            return groups;
        }
    }

    private static final class Split extends RegexFunction {
        Split(Map<String, Regex> regexes) {
            super("split", 2, regexes);
        }

        @Override
        public JsonNode call(JsonNode input, JsonNode[] arguments) {
            if (arguments[0].isNull()) {
                return arguments[0];
            }
            Regex regex = regex(arguments[1]);
            String text = text(arguments[0]);
            String[] parts = regex.pattern().split(new CountedChars(text, getName(), regex.text()));
            ArrayNode result = NODES.arrayNode(parts.length);
            for (String part : parts) {
                result.add(part);
            }
            return result;
        }
    }

    private static final class Replace extends RegexFunction {
        private final int maxChars;

        Replace(Map<String, Regex> regexes, int maxChars) {
            super("replace", 3, regexes);
            this.maxChars = maxChars;
        }

        @Override
        public JsonNode call(JsonNode input, JsonNode[] arguments) {
            if (arguments[0].isNull()) {
                return NullNode.instance;
            }
            String text = text(arguments[0]);
            String replacement = text(arguments[2]);
            Matcher matcher = matcher(regex(arguments[1]), text);
            StringBuilder result = new StringBuilder();
            int position = 0;
            while (matcher.find()) {
                if (matcher.start() == matcher.end()) {
                    throw new JsltException(
                            "replace(): the regular expression " + arguments[1] + " matched the empty string");
                }
                result.append(text, position, matcher.start()).append(replacement);
                position = matcher.end();
                checkLength(result, maxChars, getName());
            }
            if (position == 0 && arguments[0].isTextual()) {
                return arguments[0];
            }
            result.append(text, position, text.length());
            checkLength(result, maxChars, getName());
            return TextNode.valueOf(result.toString());
        }
    }

    private static final class Join extends Bounded {
        private final int maxChars;

        Join(int maxChars) {
            super("join", 2);
            this.maxChars = maxChars;
        }

        @Override
        public JsonNode call(JsonNode input, JsonNode[] arguments) {
            JsonNode array = arguments[0];
            if (array.isNull()) {
                return NullNode.instance;
            }
            if (!array.isArray()) {
                throw new JsltException("join(): cannot join "
                        + array.getNodeType().name().toLowerCase(Locale.ROOT) + ", only" + " an array");
            }
            String separator = text(arguments[1]);
            StringBuilder result = new StringBuilder();
            for (int i = 0; i < array.size(); i++) {
                if (i > 0) {
                    result.append(separator);
                }
                result.append(text(array.get(i)));
                checkLength(result, maxChars, getName());
            }
            return TextNode.valueOf(result.toString());
        }
    }

    /** JSLT's conversion of an argument to text: strings as they are, anything else as JSON. */
    private static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static void checkLength(StringBuilder result, int maxChars, String function) {
        if (result.length() > maxChars) {
            throw new JsltException(
                    function + "(): the result is longer than " + maxChars + " characters (max-output-bytes)");
        }
    }

    /**
     * The input of a regular expression, counting the characters it reads: java.util.regex backtracks, and some
     * expressions take exponential time on some inputs; past the allowance the match stops with an error.
     */
    static final class CountedChars implements CharSequence {
        private final String text;
        private final String function;
        private final String regex;
        private final long allowance;
        private long remaining;

        CountedChars(String text, String function, String regex) {
            this.text = text;
            this.function = function;
            this.regex = regex;
            this.allowance = REGEX_STEPS_BASE + REGEX_STEPS_PER_CHAR * text.length();
            this.remaining = allowance;
        }

        @Override
        public char charAt(int index) {
            if (--remaining < 0) {
                throw new JsltException(function + "(): the regular expression \"" + regex + "\" gave up after "
                        + allowance + " steps on " + text.length() + " characters");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
