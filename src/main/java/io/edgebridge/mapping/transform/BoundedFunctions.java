package io.edgebridge.mapping.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.schibsted.spt.data.jslt.Function;
import com.schibsted.spt.data.jslt.JsltException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replacements for JSLT's built-ins that could run or grow without bound on a payload, with the same results
 * otherwise. The regex functions ({@link RegexFunctions}) use only expressions compiled with the transform (never one
 * from the payload, and no cache shared between threads) and stop after a number of steps that grows with the input
 * ({@link CountedChars}); {@code replace} and {@code join} stop at a length limit (JSLT's {@code replace} allocates
 * input length times replacement length).
 */
final class BoundedFunctions {

    private BoundedFunctions() {}

    /** The functions to compile an expression with; they shadow JSLT's built-ins of the same names. */
    static List<Function> all(Map<String, Regex> regexes, int maxChars) {
        return List.of(
                new RegexFunctions.Test(regexes),
                new RegexFunctions.Capture(regexes),
                new RegexFunctions.Split(regexes),
                new RegexFunctions.Replace(regexes, maxChars),
                new Join(maxChars));
    }

    /** A function of a fixed number of arguments. */
    abstract static class Bounded implements Function {
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
    static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    static void checkLength(StringBuilder result, int maxChars, String function) {
        if (result.length() > maxChars) {
            throw new JsltException(
                    function + "(): the result is longer than " + maxChars + " characters (max-output-bytes)");
        }
    }
}
