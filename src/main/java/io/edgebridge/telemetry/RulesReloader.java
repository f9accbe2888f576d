package io.edgebridge.telemetry;

import io.edgebridge.config.BridgeConfig;
import io.edgebridge.config.FilePoll;
import io.edgebridge.config.FileVersion;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.metrics.TelemetryMetrics;
import io.edgebridge.registry.DeviceRegistry;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The rules in force: those checked at startup, then each version of the rules file that passes the same checks.
 * The file is polled like the registry (a ConfigMap's symlink swap counts as a change); a version that does not
 * pass is logged and the rules before it stay. Routing uses the new rules for every message it routes after the
 * swap; the MQTT session is then told how its subscriptions change ({@link SubscriptionChanges}). One log line
 * and one count per change seen: applied, or refused with the reason.
 */
@Startup
@ApplicationScoped
public class RulesReloader implements RulesInForce {

    private static final Logger LOG = Logger.getLogger(RulesReloader.class);

    @Inject
    BridgeConfig config;

    @Inject
    TopicMapper startupRules;

    @Inject
    Instance<RuleExtension> extensions;

    // @Any: the MQTT connector that implements it carries the @Connector qualifier, not @Default.
    @Inject
    @Any
    Instance<SubscriptionChanges> subscriptions;

    @Inject
    DeviceRegistry registry;

    @Inject
    TelemetryMetrics metrics;

    @Inject
    Vertx vertx;

    private volatile TopicMapper rules;
    private String version = "";
    private FilePoll poll;

    @PostConstruct
    void start() {
        rules = startupRules;
        metrics.registerRulesReloads();
        if (config.rulesFile().isEmpty()) {
            return;
        }
        Path file = config.rulesFile().get();
        try {
            version = FileVersion.of(file);
        } catch (IOException e) {
            version = "unreadable"; // read moments ago at startup; the first poll tells
        }
        poll = FilePoll.every(vertx, config.rulesReloadInterval(), () -> reloadIfChanged(file));
    }

    @PreDestroy
    void stop() {
        if (poll != null) {
            poll.close();
        }
    }

    /** The rules to route the next message by. */
    @Override
    public TopicMapper current() {
        return rules;
    }

    synchronized void reloadIfChanged(Path file) {
        String current;
        try {
            current = FileVersion.of(file);
        } catch (IOException e) {
            if (!version.equals("unreadable")) {
                version = "unreadable";
                metrics.rulesReloaded(false);
                LOG.errorf(
                        "Mapping rules not reloaded, keeping the %d rules in force: rules file %s cannot be read"
                                + " (%s)",
                        rules.rules().size(), file, e.getMessage());
            }
            return;
        }
        if (current.equals(version)) {
            return;
        }
        version = current;
        RulesReload.Outcome outcome = RulesReload.of(file, rules, added(), registry::reserveSegments);
        if (outcome instanceof RulesReload.Refused refused) {
            metrics.rulesReloaded(false);
            LOG.errorf(
                    "Mapping rules not reloaded, keeping the %d rules in force: %s",
                    fileRules(rules).size(), refused.reason());
            return;
        }
        apply((RulesReload.Applied) outcome, file);
    }

    private void apply(RulesReload.Applied applied, Path file) {
        applied.rules().rules().forEach(rule -> RuleSeries.register(metrics, rule));
        rules = applied.rules();
        metrics.rulesReloaded(true);
        FilterChange change = applied.change();
        String described = TelemetrySetup.describe(fileRules(applied.rules())).toString();
        if (change.isEmpty()) {
            LOG.infof("Mapping rules reloaded from %s: %s; subscriptions unchanged", file, described);
        } else if (subscriptions.isResolvable()) {
            LOG.infof("Mapping rules reloaded from %s: %s; MQTT: %s", file, described, change);
            subscriptions.get().apply(change).whenComplete((done, failure) -> {
                if (failure != null) {
                    LOG.errorf("MQTT subscriptions of the reloaded rules not changed: %s", failure.getMessage());
                }
            });
        } else {
            LOG.warnf(
                    "Mapping rules reloaded from %s: %s; the MQTT session keeps the subscriptions it started with"
                            + " until a restart, which would %s",
                    file, described, change);
        }
    }

    private List<RuleExtension> added() {
        return extensions.stream().toList();
    }

    /** The rules file's rules, without those other flows add (the log lines name the file's). */
    private List<MappingRule> fileRules(TopicMapper mapper) {
        List<MappingRule> all = mapper.rules();
        return all.subList(Math.min(all.size(), added().size()), all.size());
    }
}
