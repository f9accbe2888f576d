package io.edgebridge.mapping.transform;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.JsltException;
import com.schibsted.spt.data.jslt.Parser;
import io.edgebridge.mapping.transform.TransformResult.Failed;
import io.edgebridge.mapping.transform.TransformResult.Filtered;
import io.edgebridge.mapping.transform.TransformResult.OutputRecord;
import io.edgebridge.mapping.transform.TransformResult.Reason;
import io.edgebridge.mapping.transform.TransformResult.Records;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A rule's transform, compiled once: a {@code when} condition, a JSLT expression that makes one record (an object)
 * or one record per element (an array of objects), and each record's event time read through a JSON pointer.
 * Immutable and thread-safe; {@link #apply} never throws and always answers one {@link TransformResult}.
 */
public final class Transform {

    /** Longest digit string of the payload a transform accepts; JSLT turns longer ones into numbers in O(n^2). */
    static final int MAX_DIGITS = 1000;

    /** Dead-letter details are headers: long expression messages (which may quote the payload) are cut. */
    static final int MAX_DETAIL = 500;

    private final TransformSpec spec;
    private final Expression when; // null: every message passes
    private final Expression jslt; // null: the payload is the output
    private final JsonPointer eventTime; // null: no event time
    private final String[] variables;

    private Transform(
            TransformSpec spec, Expression when, Expression jslt, JsonPointer eventTime, Set<String> variables) {
        this.spec = spec;
        this.when = when;
        this.jslt = jslt;
        this.eventTime = eventTime;
        this.variables = variables.toArray(String[]::new);
    }

    /** Checks and compiles {@code spec}; {@link InvalidTransformException} names the key and position at fault. */
    public static Transform compile(TransformSpec spec) {
        if (spec.when() == null && spec.jslt() == null && spec.eventTime() == null) {
            throw new InvalidTransformException(
                    null,
                    "needs at least one of '" + TransformSpec.WHEN + "', '" + TransformSpec.JSLT + "' and '"
                            + TransformSpec.EVENT_TIME + "'");
        }
        checkRange(TransformSpec.MAX_RECORDS, spec.maxRecords(), TransformSpec.MAX_RECORDS_CEILING);
        checkRange(TransformSpec.MAX_OUTPUT_BYTES, spec.maxOutputBytes(), TransformSpec.MAX_OUTPUT_BYTES_CEILING);
        JsonPointer pointer = spec.eventTime() == null ? null : pointer(spec.eventTime());
        Set<String> variables = new LinkedHashSet<>();
        Expression when = compileExpression(TransformSpec.WHEN, spec.when(), spec.maxOutputBytes(), variables);
        Expression jslt = compileExpression(TransformSpec.JSLT, spec.jslt(), spec.maxOutputBytes(), variables);
        return new Transform(spec, when, jslt, pointer, variables);
    }

    private static void checkRange(String key, int value, int ceiling) {
        if (value < 1 || value > ceiling) {
            throw new InvalidTransformException(key, "must be 1 to " + ceiling + ", not " + value);
        }
    }

    private static JsonPointer pointer(String text) {
        JsonPointer pointer;
        try {
            pointer = JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidTransformException(
                    TransformSpec.EVENT_TIME,
                    "'" + text + "' is not a JSON pointer (RFC 6901: '/' before each field name, e.g. /ts or"
                            + " /meta/time)");
        }
        if (pointer.matches()) {
            throw new InvalidTransformException(
                    TransformSpec.EVENT_TIME, "the empty pointer means the whole record; point at a field, e.g. /ts");
        }
        return pointer;
    }

    private static Expression compileExpression(String key, String source, int maxChars, Set<String> variables) {
        if (source == null) {
            return null;
        }
        try {
            SyntaxCheck.Findings findings = SyntaxCheck.check(key, source);
            Expression expression = new Parser(new StringReader(source))
                    .withSource(key)
                    .withFunctions(BoundedFunctions.all(findings.regexes(), maxChars))
                    .withResourceResolver(name -> {
                        throw new JsltException("import is refused");
                    })
                    .compile();
            variables.addAll(findings.variables());
            return expression;
        } catch (JsltException e) {
            String problem = SyntaxCheck.firstLine(e.getMessageWithoutLocation());
            throw new InvalidTransformException(key, e.getLine(), e.getColumn(), problem);
        } catch (StackOverflowError e) {
            throw new InvalidTransformException(key, "the expression is nested too deeply");
        } catch (InvalidTransformException e) {
            throw e;
        } catch (RuntimeException e) {
            // JSLT computes constant parts while compiling: 1 / 0 fails here
            throw new InvalidTransformException(key, "the expression fails on constants: " + e);
        }
    }

    public TransformSpec spec() {
        return spec;
    }

    /** Variables ({@code $name}) the expressions read and do not bind: to warn about ones nothing provides. */
    public Set<String> variables() {
        return Set.of(variables);
    }

    /**
     * Evaluates the transform on one payload.
     *
     * @param payload the message payload parsed as JSON
     * @param variables value of each variable by name (topic segments, then registry attributes), null for none;
     *     a variable without a value is JSON null
     */
    public TransformResult apply(JsonNode payload, Function<String, String> variables) {
        long start = System.nanoTime();
        try {
            return evaluate(payload == null ? NullNode.instance : payload, variables, start);
        } catch (JsltException e) {
            return failed(Reason.TRANSFORM_ERROR, e.getMessage(), start);
        } catch (RuntimeException | StackOverflowError e) {
            return failed(Reason.TRANSFORM_ERROR, "the expression failed: " + e, start);
        }
    }

    private TransformResult evaluate(JsonNode payload, Function<String, String> lookup, long start) {
        int digits = longestDigitString(payload);
        if (digits > MAX_DIGITS) {
            return failed(
                    Reason.TRANSFORM_ERROR,
                    "the payload holds a string of " + digits + " digits; transforms accept at most " + MAX_DIGITS
                            + " (JSLT would take quadratic time to read it as a number)",
                    start);
        }
        Map<String, JsonNode> bound = bind(lookup);
        if (when != null) {
            JsonNode pass = when.apply(bound, payload);
            if (!pass.isBoolean()) {
                return failed(
                        Reason.TRANSFORM_ERROR, "'when' gave " + describe(pass) + ", expected true or false", start);
            }
            if (!pass.booleanValue()) {
                return new Filtered("'when' is false", System.nanoTime() - start);
            }
        }
        JsonNode output = jslt == null ? payload : jslt.apply(bound, payload);
        List<JsonNode> values;
        if (output.isObject()) {
            values = List.of(output);
        } else if (output.isArray()) {
            if (output.isEmpty()) {
                return new Filtered("the transform gave an empty array", System.nanoTime() - start);
            }
            if (output.size() > spec.maxRecords()) {
                return failed(
                        Reason.INVALID_TRANSFORM_OUTPUT,
                        "the transform gave " + output.size() + " records; max-records is " + spec.maxRecords(),
                        start);
            }
            values = new ArrayList<>(output.size());
            for (int i = 0; i < output.size(); i++) {
                JsonNode element = output.get(i);
                if (!element.isObject()) {
                    return failed(
                            Reason.INVALID_TRANSFORM_OUTPUT,
                            "element " + i + " of the transform's array is " + describe(element)
                                    + "; every record must be an object",
                            start);
                }
                values.add(element);
            }
        } else {
            String hint = output.isNull() || output.isMissingNode()
                    ? " (a field it reads may be missing; give [] to forward nothing)"
                    : "";
            return failed(
                    Reason.INVALID_TRANSFORM_OUTPUT,
                    "the transform gave " + describe(output) + ", expected an object or an array of objects" + hint,
                    start);
        }
        Instant[] times = new Instant[values.size()];
        if (eventTime != null) {
            for (int i = 0; i < times.length; i++) {
                try {
                    times[i] = EventTime.read(values.get(i).at(eventTime));
                } catch (IllegalArgumentException e) {
                    String which = times.length == 1 ? "" : "record " + i + ": ";
                    return failed(Reason.INVALID_EVENT_TIME, which + eventTime + " " + e.getMessage(), start);
                }
            }
        }
        byte[][] json = CappedJson.write(values, spec.maxOutputBytes());
        if (json == null) {
            return failed(
                    Reason.INVALID_TRANSFORM_OUTPUT,
                    "the records take more than max-output-bytes=" + spec.maxOutputBytes() + " bytes",
                    start);
        }
        List<OutputRecord> records = new ArrayList<>(json.length);
        for (int i = 0; i < json.length; i++) {
            records.add(new OutputRecord(values.get(i), json[i], times[i]));
        }
        return new Records(records, System.nanoTime() - start);
    }

    private Map<String, JsonNode> bind(Function<String, String> lookup) {
        if (variables.length == 0) {
            return Map.of();
        }
        Map<String, JsonNode> bound = new HashMap<>(variables.length * 2);
        for (String name : variables) {
            String value = lookup.apply(name);
            bound.put(name, value == null ? NullNode.instance : TextNode.valueOf(value));
        }
        return bound;
    }

    /** Length of the longest string in {@code node} made only of digits (after an optional minus), else 0. */
    static int longestDigitString(JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            return text.length() > MAX_DIGITS && isDigits(text) ? text.length() : 0;
        }
        int longest = 0;
        if (node.isContainerNode()) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                longest = Math.max(longest, longestDigitString(it.next()));
            }
        }
        return longest;
    }

    private static boolean isDigits(String text) {
        for (int i = text.charAt(0) == '-' ? 1 : 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonNode value) {
        String type =
                value.isMissingNode() ? "nothing" : value.getNodeType().name().toLowerCase(Locale.ROOT);
        if (value.isContainerNode() || value.isMissingNode() || value.isNull()) {
            return type;
        }
        String text = value.toString();
        return type + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }

    private static Failed failed(Reason reason, String detail, long start) {
        String bounded = detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail;
        return new Failed(reason, bounded, System.nanoTime() - start);
    }
}
