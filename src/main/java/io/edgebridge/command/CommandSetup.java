package io.edgebridge.command;

import static io.edgebridge.config.ConfigCheck.check;

import io.edgebridge.config.ApiConfig;
import io.edgebridge.config.BridgeConfig;
import io.edgebridge.config.BridgeSetup;
import io.edgebridge.config.CommandsConfig;
import io.edgebridge.config.ConfigCheck;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.Template;
import io.edgebridge.mapping.TopicMapper;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * Checks the command side of the configuration ({@code bridge.commands.*}, {@code bridge.api.*}) once and builds
 * what the command flow and the REST API share from it. Anything wrong stops startup with the key named.
 */
@Singleton
public class CommandSetup {

    static final String TOPIC_TEMPLATE = "bridge.commands.topic-template";
    static final String RESPONSE_TOPIC_TEMPLATE = "bridge.commands.response-topic-template";

    private final CommandTopics topics;
    private final CommandLimits limits;

    @Inject
    public CommandSetup(BridgeConfig config) {
        validate(config);
        CommandsConfig commands = config.commands();
        Template commandTopic = checked(TOPIC_TEMPLATE, () -> CommandTopics.commandTopic(commands.topicTemplate()));
        MappingRule responseRule = checked(
                RESPONSE_TOPIC_TEMPLATE,
                () -> CommandTopics.responseRule(commands.responseTopicTemplate(), commands.responseTopic()));
        this.topics = new CommandTopics(commandTopic, responseRule);
        this.limits = new CommandLimits(
                commands.maxPayloadBytes(), commands.maxIdLength(), commands.defaultTtl(), commands.maxTtl());
    }

    @Produces
    @Singleton
    CommandTopics topics() {
        return topics;
    }

    @Produces
    @Singleton
    CommandLimits limits() {
        return limits;
    }

    @Produces
    @Singleton
    CommandParser parser() {
        return new CommandParser(limits);
    }

    static void validate(BridgeConfig config) {
        BridgeSetup.validate(config);
        CommandsConfig commands = config.commands();
        for (String[] topic : new String[][] {
            {"bridge.commands.topic", commands.topic()},
            {"bridge.commands.status-topic", commands.statusTopic()},
            {"bridge.commands.response-topic", commands.responseTopic()},
            {"bridge.commands.dead-letter-topic", commands.deadLetterTopic()}
        }) {
            check(
                    TopicMapper.isLegalKafkaTopic(topic[1]),
                    topic[0],
                    "'" + topic[1] + "' is not a legal Kafka topic name");
        }
        check(commands.defaultTtl().toMillis() > 0, "bridge.commands.default-ttl", "must be positive");
        check(
                commands.maxTtl().compareTo(commands.defaultTtl()) >= 0,
                "bridge.commands.max-ttl",
                "must be at least bridge.commands.default-ttl");
        check(commands.maxPayloadBytes() > 0, "bridge.commands.max-payload-bytes", "must be positive");
        check(
                commands.maxInFlight() > 0 && commands.maxInFlight() <= 65535,
                "bridge.commands.max-in-flight",
                "must be 1-65535 (MQTT packet ids)");
        check(commands.maxTracked() > 0, "bridge.commands.max-tracked", "must be positive");
        check(commands.statusHistory().toMillis() > 0, "bridge.commands.status-history", "must be positive");
        check(
                config.health().statusViewTimeout().toMillis() > 0,
                "bridge.health.status-view-timeout",
                "must be positive");
        check(
                commands.maxIdLength() > 0 && commands.maxIdLength() <= 1024,
                "bridge.commands.max-id-length",
                "must be 1-1024");
        ApiConfig api = config.api();
        check(api.maxWait().toMillis() > 0, "bridge.api.max-wait", "must be positive");
        check(api.kafkaWriteTimeout().toMillis() > 0, "bridge.api.kafka-write-timeout", "must be positive");
    }

    /** What {@code build} makes of the value of {@code key}, or its refusal naming the key. */
    private static <T> T checked(String key, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw ConfigCheck.invalid(key, e.getMessage());
        }
    }
}
