package io.edgebridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgebridge.mapping.MappingRule.PayloadFormat;
import io.edgebridge.mapping.RulesLoader.InvalidRulesException;
import io.edgebridge.mapping.transform.InvalidTransformException;
import io.edgebridge.mapping.transform.Transform;
import io.edgebridge.mapping.transform.TransformSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The fields of one rule in a rules file, each read with its type checked: a wrong one is an
 * {@link InvalidRulesException} naming the rule ({@code where}) and the key.
 */
final class RuleFields {

    private static final List<String> TRANSFORM_KEYS = List.of(
            TransformSpec.WHEN,
            TransformSpec.JSLT,
            TransformSpec.EVENT_TIME,
            TransformSpec.MAX_RECORDS,
            TransformSpec.MAX_OUTPUT_BYTES);

    private RuleFields() {}

    /** The rule's {@code transform} block compiled, or null without one; errors name the key and position. */
    static Transform transform(JsonNode block, PayloadFormat format, String where) {
        if (block == null || block.isNull()) {
            return null;
        }
        String at = where + ": transform";
        if (!block.isObject()) {
            throw new InvalidRulesException(at + " must be a mapping of " + TRANSFORM_KEYS);
        }
        for (Iterator<String> it = block.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TRANSFORM_KEYS.contains(key)) {
                throw new InvalidRulesException(at + ": unknown key '" + key + "' (known: " + TRANSFORM_KEYS + ")");
            }
        }
        if (format != PayloadFormat.JSON) {
            throw new InvalidRulesException(where + ": " + RulesLoader.TRANSFORM_NEEDS_JSON);
        }
        TransformSpec spec = new TransformSpec(
                text(block, TransformSpec.WHEN, at, null),
                text(block, TransformSpec.JSLT, at, null),
                text(block, TransformSpec.EVENT_TIME, at, null),
                integer(block, TransformSpec.MAX_RECORDS, at, TransformSpec.DEFAULT_MAX_RECORDS),
                integer(block, TransformSpec.MAX_OUTPUT_BYTES, at, TransformSpec.DEFAULT_MAX_OUTPUT_BYTES));
        try {
            return Transform.compile(spec);
        } catch (InvalidTransformException e) {
            throw new InvalidRulesException(at + ": " + e.getMessage(), e);
        }
    }

    static int integer(JsonNode node, String key, String where, int fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidRulesException(where + ": '" + key + "' must be a whole number");
        }
        return value.intValue();
    }

    static String required(JsonNode node, String key, String where) {
        String value = text(node, key, where, null);
        if (value == null) {
            throw new InvalidRulesException(where + ": '" + key + "' is required");
        }
        return value;
    }

    static String text(JsonNode node, String key, String where, String fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidRulesException(where + ": '" + key + "' must be a non-empty string");
        }
        return value.asText();
    }

    static <E extends Enum<E>> E choice(JsonNode node, String key, String where, Class<E> type, E fallback) {
        String value = text(node, key, where, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new InvalidRulesException(where + ": '" + key + "' is '" + value + "', expected one of " + allowed);
        }
    }

    static int qos(JsonNode node, String where) {
        JsonNode value = node.get("qos");
        if (value == null || value.isNull()) {
            return 1;
        }
        if (!value.isInt() || value.asInt() < 0 || value.asInt() > 2) {
            throw new InvalidRulesException(where + ": 'qos' must be 0, 1 or 2");
        }
        return value.asInt();
    }
}
