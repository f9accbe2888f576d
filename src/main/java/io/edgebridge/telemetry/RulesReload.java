package io.edgebridge.telemetry;

import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.TopicMapper;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a changed rules file means for the rules in force, decided without side effects: the new rules and how
 * the subscriptions change, or why the file is refused (the rules in force stay). The same checks as at startup.
 */
final class RulesReload {

    /** The outcome of one reload. */
    sealed interface Outcome {}

    /** The new rules (those other flows add first) and the subscription change they bring. */
    record Applied(TopicMapper rules, FilterChange change) implements Outcome {}

    /** Why the file was not applied. */
    record Refused(String reason) implements Outcome {}

    private RulesReload() {}

    /**
     * @param segmentClash given the segment names of the new rules, why the device registry cannot take them (an
     *     attribute of that name), or null; when it answers null it has taken them
     */
    static Outcome of(
            Path file, TopicMapper current, List<RuleExtension> added, Function<List<String>, String> segmentClash) {
        TopicMapper next;
        try {
            next = TelemetrySetup.withAdded(RulesLoader.load(file), added);
        } catch (RulesLoader.InvalidRulesException | ConfigurationException e) {
            return new Refused(e.getMessage());
        }
        List<String> segments = new ArrayList<>();
        for (MappingRule rule : next.rules()) {
            segments.addAll(rule.mqttTopic().segmentNames());
        }
        String clash = segmentClash.apply(segments);
        if (clash != null) {
            return new Refused("rules file " + file + ": " + clash);
        }
        return new Applied(next, new FilterChange(current.subscriptions(), next.subscriptions()));
    }
}
