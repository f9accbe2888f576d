package io.edgebridge.mapping.transform;

import static io.edgebridge.mapping.transform.BoundedFunctions.checkLength;
import static io.edgebridge.mapping.transform.BoundedFunctions.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.schibsted.spt.data.jslt.JsltException;
import io.edgebridge.mapping.transform.BoundedFunctions.Bounded;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The regex family of {@link BoundedFunctions}: {@code test}, {@code capture}, {@code split} and {@code replace},
 * each with an expression compiled with the transform and reading its input through {@link CountedChars}.
 */
final class RegexFunctions {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RegexFunctions() {}

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

    static final class Test extends RegexFunction {
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

    static final class Capture extends RegexFunction {
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

    static final class Split extends RegexFunction {
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

    static final class Replace extends RegexFunction {
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
}
