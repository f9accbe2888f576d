package io.edgebridge.command;

import io.edgebridge.KafkaHeaders;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.Template;
import io.edgebridge.mapping.TopicLevelCheck;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.mapping.TopicPattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MQTT side of commands: where a command is published and where its response comes back. Responses travel as
 * one more mapping rule, so they share the telemetry session (PUBACK after the Kafka ack, the in-flight window).
 */
public final class CommandTopics {

    /** Name of the built-in rule that forwards device responses; rules files may not use it. */
    public static final String RESPONSE_RULE = "command-responses";

    public static final String RESPONSE_EVENT_TYPE = "io.edgebridge.command.response";
    public static final String NAME = "name";
    public static final String CORRELATION_ID = "correlationId";

    /** What a command topic may contain, in the order {@link #topicFor} passes the values. */
    private static final List<String> PLACEHOLDERS = List.of(MappingRule.DEVICE_ID, NAME, CORRELATION_ID);

    private final Template commandTopic;
    private final MappingRule responseRule;
    private final Template responseTopic;

    public CommandTopics(Template commandTopic, MappingRule responseRule) {
        this.commandTopic = commandTopic;
        this.responseRule = responseRule;
        this.responseTopic = Template.parse(responseRule.mqttTopic().toString(), PLACEHOLDERS);
    }

    /** Checks a command topic template; {@link IllegalArgumentException} says what is wrong. */
    public static Template commandTopic(String commandTemplate) {
        TopicPattern pattern = TopicPattern.parse(commandTemplate); // refuses wildcards
        checkPlaceholders(pattern, commandTemplate, List.of(MappingRule.DEVICE_ID));
        return Template.parse(commandTemplate, PLACEHOLDERS);
    }

    /**
     * The rule that forwards responses published on {@code responseTemplate} to {@code kafkaTopic}, with the ids of
     * the command it answers as Kafka headers.
     */
    public static MappingRule responseRule(String responseTemplate, String kafkaTopic) {
        TopicPattern pattern = TopicPattern.parse(responseTemplate);
        checkPlaceholders(pattern, responseTemplate, List.of(MappingRule.DEVICE_ID, CORRELATION_ID));
        if (!TopicMapper.isLegalKafkaTopic(kafkaTopic)) {
            throw new IllegalArgumentException("'" + kafkaTopic + "' is not a legal Kafka topic name");
        }
        Map<String, Template> headers = new LinkedHashMap<>();
        headers.put(KafkaHeaders.CORRELATION_ID, Template.parse("{" + CORRELATION_ID + "}", pattern));
        headers.put(KafkaHeaders.DEVICE_ID, Template.parse("{" + MappingRule.DEVICE_ID + "}", pattern));
        if (pattern.indexOf(NAME) >= 0) {
            headers.put(KafkaHeaders.COMMAND_NAME, Template.parse("{" + NAME + "}", pattern));
        }
        return RulesLoader.rule(
                        RESPONSE_RULE,
                        responseTemplate,
                        kafkaTopic,
                        "{" + MappingRule.DEVICE_ID + "}",
                        MappingRule.PayloadFormat.ANY,
                        MappingRule.EventMode.BINARY,
                        RESPONSE_EVENT_TYPE,
                        null,
                        1)
                .withKafkaHeaders(headers);
    }

    private static void checkPlaceholders(TopicPattern pattern, String template, List<String> required) {
        for (String name : pattern.segmentNames()) {
            if (!PLACEHOLDERS.contains(name)) {
                throw new IllegalArgumentException(
                        "'" + template + "' uses {" + name + "}; allowed are " + PLACEHOLDERS);
            }
        }
        for (String name : required) {
            if (pattern.indexOf(name) < 0) {
                throw new IllegalArgumentException("'" + template + "' must contain {" + name + "}");
            }
        }
    }

    /** The rule that forwards device responses (see {@link #responseRule(String, String)}). */
    public MappingRule responseRule() {
        return responseRule;
    }

    /** Where the device answers this command (the response rule's pattern with its ids filled in). */
    public String responseTopicFor(Command command) {
        return responseTopic.render(new String[] {command.deviceId(), command.name(), command.correlationId()});
    }

    /** The topic for one command; its ids are single safe topic levels (see {@link TopicLevelCheck}). */
    public String topicFor(Command command) {
        return commandTopic.render(new String[] {command.deviceId(), command.name(), command.correlationId()});
    }
}
