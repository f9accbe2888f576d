package io.edgebridge.telemetry;

import io.edgebridge.config.BridgeConfig;
import io.edgebridge.config.BridgeSetup;
import io.edgebridge.config.ConfigCheck;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.TopicMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Checks the telemetry side of the configuration and builds its mapping rules: the rules other flows add first, then
 * the rules file's (or the default rule). Anything wrong stops startup with the key named.
 */
@ApplicationScoped
public class TelemetrySetup {

    private static final Logger LOG = Logger.getLogger(TelemetrySetup.class);

    @Produces
    @Singleton
    TopicMapper topicMapper(BridgeConfig config, Instance<RuleExtension> extensions) {
        return topicMapper(config, extensions.stream().toList());
    }

    static TopicMapper topicMapper(BridgeConfig config, List<RuleExtension> added) {
        BridgeSetup.validate(config);
        String deadLetterTopic = config.telemetry().deadLetterTopic();
        ConfigCheck.check(
                TopicMapper.isLegalKafkaTopic(deadLetterTopic),
                "bridge.telemetry.dead-letter-topic",
                "'" + deadLetterTopic + "' is not a legal Kafka topic name");
        List<MappingRule> rules;
        try {
            rules = config.rulesFile().map(RulesLoader::load).orElseGet(RulesLoader::defaults);
        } catch (RulesLoader.InvalidRulesException e) {
            throw ConfigCheck.invalid("bridge.rules-file", e.getMessage());
        }
        TopicMapper mapper = withAdded(rules, added);
        LOG.infof(
                "Mapping rules%s: %s", config.rulesFile().map(p -> " from " + p).orElse(" (default)"), describe(rules));
        return mapper;
    }

    /**
     * The rules other flows add, then {@code fromFile}. First, so a broad rule such as devices/# cannot swallow what
     * another flow expects; a file's rule may not take an added rule's name.
     */
    static TopicMapper withAdded(List<MappingRule> fromFile, List<RuleExtension> added) {
        for (MappingRule rule : fromFile) {
            for (RuleExtension extension : added) {
                ConfigCheck.check(
                        !rule.name().equals(extension.rule().name()),
                        "bridge.rules-file",
                        "names a rule '" + rule.name() + "', which is " + extension.origin());
            }
        }
        List<MappingRule> all = new ArrayList<>();
        added.forEach(extension -> all.add(extension.rule()));
        all.addAll(fromFile);
        return new TopicMapper(all);
    }

    /** The rules as one log line shows them. */
    static List<String> describe(List<MappingRule> rules) {
        return rules.stream()
                .map(r -> r.name() + ": " + r.mqttTopic() + " -> " + r.kafkaTopic()
                        + (r.transform() != null ? " (transform)" : ""))
                .toList();
    }
}
