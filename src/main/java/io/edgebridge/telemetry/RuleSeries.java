package io.edgebridge.telemetry;

import io.edgebridge.mapping.MappingRule;
import io.edgebridge.metrics.TelemetryMetrics;
import java.util.Arrays;
import java.util.List;

/**
 * The metric series of a rule, registered before its first message so they exist from the first scrape: what any
 * rule can count, and what only a rule with a transform can (filtered messages, its records, its time, its own
 * dead-letter reasons). Label values are bounded by the rules file.
 */
final class RuleSeries {

    private static final List<String> ANY_RULE = Arrays.stream(Rejection.values())
            .filter(r -> r != Rejection.NO_MATCHING_RULE && !r.needsTransform())
            .map(Rejection::code)
            .toList();

    private static final List<String> TRANSFORM_RULE = Arrays.stream(Rejection.values())
            .filter(r -> r != Rejection.NO_MATCHING_RULE)
            .map(Rejection::code)
            .toList();

    private RuleSeries() {}

    static void register(TelemetryMetrics metrics, MappingRule rule) {
        boolean transforms = rule.transform() != null;
        metrics.registerRule(rule.name(), true, transforms ? TRANSFORM_RULE : ANY_RULE);
        if (transforms) {
            metrics.registerTransform(rule.name());
        }
    }

    /** Messages no rule matched. */
    static void registerNoRule(TelemetryMetrics metrics) {
        metrics.registerRule(
                TelemetryRouter.NO_RULE,
                false,
                List.of(Rejection.NO_MATCHING_RULE.code(), Rejection.PROCESSING_ERROR.code()));
    }
}
