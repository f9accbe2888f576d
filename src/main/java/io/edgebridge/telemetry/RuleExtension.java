package io.edgebridge.telemetry;

import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.TopicMatch;
import java.util.concurrent.CompletionStage;

/**
 * A rule another flow adds to the telemetry session, such as device responses to commands: matched before the rules
 * file's rules (a broad rule such as {@code devices/#} cannot swallow it), forwarded like telemetry, and reported
 * back once Kafka has each event. The telemetry flow knows the rule, never the flow behind it.
 */
public interface RuleExtension {

    MappingRule rule();

    /** What the rule is, for the refusal of a rules file that reuses its name. */
    String origin();

    /**
     * Kafka acknowledged the event forwarded for {@code message}; the broker gets its PUBACK when the returned stage
     * completes, so a redelivered message is reported again rather than lost.
     */
    CompletionStage<Void> forwarded(TopicMatch match, Telemetry message);
}
