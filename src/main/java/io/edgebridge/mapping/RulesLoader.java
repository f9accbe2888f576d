package io.edgebridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgebridge.mapping.MappingRule.EventMode;
import io.edgebridge.mapping.MappingRule.PayloadFormat;
import io.edgebridge.mapping.transform.Transform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads mapping rules from YAML or JSON. Every problem is reported as an {@link InvalidRulesException}
 * naming the file, the rule and the key, so a bad file stops startup with a message an operator can act on.
 */
public final class RulesLoader {

    public static final String DEFAULT_EVENT_TYPE = "io.edgebridge.telemetry";

    private static final Set<String> KEYS = Set.of(
            "name",
            "mqtt-topic",
            "kafka-topic",
            "kafka-key",
            "format",
            "mode",
            "event-type",
            "content-type",
            "qos",
            "transform",
            "user-properties");

    static final String TRANSFORM_NEEDS_JSON = "'transform' needs 'format: json' (it reads the payload as JSON)";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RulesLoader() {}

    /** The rule used when no rules file is configured. */
    public static List<MappingRule> defaults() {
        return List.of(rule(
                "device-telemetry",
                "devices/{deviceId}/telemetry",
                "device-telemetry",
                null,
                PayloadFormat.ANY,
                EventMode.BINARY,
                null,
                null,
                1));
    }

    public static List<MappingRule> load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file)); // YAML is a superset of JSON: one parser for both
        } catch (IOException e) {
            throw new InvalidRulesException("rules file " + file + " cannot be read: " + e.getMessage(), e);
        }
        try {
            return parse(root);
        } catch (InvalidRulesException e) {
            throw new InvalidRulesException("rules file " + file + ": " + e.getMessage(), e);
        }
    }

    static List<MappingRule> parse(JsonNode root) {
        JsonNode list = root == null ? null : root.get("rules");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new InvalidRulesException("expected a non-empty list under 'rules'");
        }
        List<MappingRule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String where = "rules[" + i + "]";
            if (!node.isObject()) {
                throw new InvalidRulesException(where + " is not a mapping");
            }
            String name = RuleFields.text(node, "name", where, null);
            if (name != null) {
                where = where + " '" + name + "'";
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!KEYS.contains(key)) {
                    throw new InvalidRulesException(where + ": unknown key '" + key + "' (known: " + KEYS + ")");
                }
            }
            if (name == null) {
                throw new InvalidRulesException(where + ": 'name' is required");
            }
            if (!name.matches("[a-z0-9][a-z0-9._-]{0,62}") || name.equals("none")) {
                throw new InvalidRulesException(where + ": 'name' must be 1-63 of [a-z0-9._-], starting with a letter"
                        + " or digit, and not 'none'");
            }
            if (!names.add(name)) {
                throw new InvalidRulesException(where + ": 'name' is used by an earlier rule");
            }
            PayloadFormat format = RuleFields.choice(node, "format", where, PayloadFormat.class, PayloadFormat.ANY);
            try {
                rules.add(rule(
                                name,
                                RuleFields.required(node, "mqtt-topic", where),
                                RuleFields.required(node, "kafka-topic", where),
                                RuleFields.text(node, "kafka-key", where, null),
                                format,
                                RuleFields.choice(node, "mode", where, EventMode.class, EventMode.BINARY),
                                RuleFields.text(node, "event-type", where, null),
                                RuleFields.text(node, "content-type", where, null),
                                RuleFields.qos(node, where),
                                RuleFields.transform(node.get("transform"), format, where))
                        .withUserProperties(PropertyForwarding.parse(node.get("user-properties"))));
            } catch (IllegalArgumentException e) {
                throw new InvalidRulesException(where + ": " + e.getMessage(), e);
            }
        }
        return rules;
    }

    /** Builds and checks one rule; {@link IllegalArgumentException} says what is wrong. */
    public static MappingRule rule(
            String name,
            String mqttTopic,
            String kafkaTopic,
            String kafkaKey,
            PayloadFormat format,
            EventMode mode,
            String eventType,
            String contentType,
            int qos) {
        return rule(name, mqttTopic, kafkaTopic, kafkaKey, format, mode, eventType, contentType, qos, null);
    }

    /** As {@link #rule(String, String, String, String, PayloadFormat, EventMode, String, String, int)}, transformed. */
    public static MappingRule rule(
            String name,
            String mqttTopic,
            String kafkaTopic,
            String kafkaKey,
            PayloadFormat format,
            EventMode mode,
            String eventType,
            String contentType,
            int qos,
            Transform transform) {
        if (transform != null && format != PayloadFormat.JSON) {
            throw new IllegalArgumentException(TRANSFORM_NEEDS_JSON);
        }
        TopicPattern pattern;
        try {
            pattern = TopicPattern.parse(mqttTopic);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'mqtt-topic' " + e.getMessage(), e);
        }
        for (String segment : pattern.segmentNames()) {
            if (ReservedNames.ATTRIBUTES.contains(segment.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("'mqtt-topic' segment {" + segment + "} would overwrite the"
                        + " CloudEvents attribute '" + segment.toLowerCase(Locale.ROOT) + "'; rename it");
            }
        }
        if (pattern.indexOf(MappingRule.DEVICE_ID) < 0) {
            throw new IllegalArgumentException(
                    "'mqtt-topic' '" + mqttTopic + "' must contain a {" + MappingRule.DEVICE_ID + "} segment");
        }
        Template topic;
        Template key;
        try {
            topic = Template.parse(kafkaTopic, pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'kafka-topic' " + e.getMessage(), e);
        }
        String literal = topic.literalText();
        for (int i = 0; i < literal.length(); i++) {
            if (!TopicMapper.isLegalKafkaTopicChar(literal.charAt(i))) {
                throw new IllegalArgumentException("'kafka-topic' '" + kafkaTopic + "' contains '" + literal.charAt(i)
                        + "'; Kafka topic names allow only [a-zA-Z0-9._-]");
            }
        }
        try {
            key = Template.parse(kafkaKey == null ? "{" + MappingRule.DEVICE_ID + "}" : kafkaKey, pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'kafka-key' " + e.getMessage(), e);
        }
        String type = eventType == null ? DEFAULT_EVENT_TYPE : eventType;
        String content = contentType != null
                ? contentType
                : format == PayloadFormat.JSON ? "application/json" : "application/octet-stream";
        return new MappingRule(
                name,
                pattern,
                topic,
                key,
                format,
                mode,
                type,
                content,
                qos,
                Map.of(),
                transform,
                PropertyForwarding.NONE);
    }

    /** A rules file that cannot be used; the message names the file, rule and key. */
    public static final class InvalidRulesException extends RuntimeException {
        public InvalidRulesException(String message) {
            super(message);
        }

        public InvalidRulesException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
