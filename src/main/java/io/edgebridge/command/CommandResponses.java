package io.edgebridge.command;

import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.TopicMatch;
import io.edgebridge.telemetry.RuleExtension;
import io.edgebridge.telemetry.Telemetry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * Device responses ride the telemetry session as one more rule (PUBACK after the Kafka ack, the same in-flight
 * window); once Kafka has a response, its command is marked {@code responded}, which wakes a waiting REST caller.
 */
@Singleton
public class CommandResponses implements RuleExtension {

    private final MappingRule rule;
    private final CommandTracker tracker;

    @Inject
    public CommandResponses(CommandTopics topics, CommandTracker tracker) {
        this.rule = topics.responseRule();
        this.tracker = tracker;
    }

    @Override
    public MappingRule rule() {
        return rule;
    }

    @Override
    public String origin() {
        return "the bridge's own rule for command responses (" + CommandSetup.RESPONSE_TOPIC_TEMPLATE + ")";
    }

    /**
     * An MQTT 5 device answers with the command's correlation id as correlation data; that is the match, wherever
     * it answers. Without it (MQTT 3.1.1) the response topic's {correlationId} level is.
     */
    @Override
    public CompletionStage<Void> forwarded(TopicMatch match, Telemetry message) {
        byte[] correlation = message.properties().correlationData();
        return tracker.responded(
                correlation != null
                        ? new String(correlation, StandardCharsets.UTF_8)
                        : match.segment(CommandTopics.CORRELATION_ID),
                match.deviceId(),
                match.segment(CommandTopics.NAME), // null when the response topic has no {name}
                message.payload());
    }
}
