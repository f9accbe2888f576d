package io.edgebridge.config;

import io.edgebridge.command.CommandTopics;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.registry.UnknownDevicePolicy;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Checks the configuration and builds the pure core from it. Anything wrong stops startup with the key named.
 */
@ApplicationScoped
public class BridgeSetup {

    private static final Logger LOG = Logger.getLogger(BridgeSetup.class);

    @Produces
    @Singleton
    TopicMapper topicMapper(BridgeConfig config) {
        validate(config);
        List<MappingRule> rules;
        try {
            rules = config.rulesFile().map(RulesLoader::load).orElseGet(RulesLoader::defaults);
        } catch (RulesLoader.InvalidRulesException e) {
            throw new ConfigurationException("bridge.rules-file: " + e.getMessage(), Set.of("bridge.rules-file"));
        }
        for (MappingRule rule : rules) {
            check(
                    !rule.name().equals(CommandTopics.RESPONSE_RULE),
                    "bridge.rules-file",
                    "names a rule '" + CommandTopics.RESPONSE_RULE + "', which is the bridge's own rule for command"
                            + " responses (bridge.commands.response-topic-template)");
        }
        List<MappingRule> all = new ArrayList<>();
        BridgeConfig.Commands commands = config.commands();
        try {
            // First, so a broad rule such as devices/# cannot swallow device responses.
            all.add(CommandTopics.responseRule(commands.responseTopicTemplate(), commands.responseTopic()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(
                    "bridge.commands.response-topic-template: " + e.getMessage(),
                    Set.of("bridge.commands.response-topic-template"));
        }
        all.addAll(rules);
        TopicMapper mapper = new TopicMapper(all);
        LOG.infof(
                "Mapping rules%s: %s",
                config.rulesFile().map(p -> " from " + p).orElse(" (default)"),
                rules.stream()
                        .map(r -> r.name() + ": " + r.mqttTopic() + " -> " + r.kafkaTopic())
                        .toList());
        return mapper;
    }

    static void validate(BridgeConfig config) {
        BridgeConfig.Mqtt mqtt = config.mqtt();
        check(mqtt.port() > 0 && mqtt.port() < 65536, "bridge.mqtt.port", "must be 1-65535, is " + mqtt.port());
        check(!mqtt.host().isBlank(), "bridge.mqtt.host", "must not be empty");
        check(
                !mqtt.clientId().isBlank() && mqtt.clientId().length() <= 65535,
                "bridge.mqtt.client-id",
                "must be a non-empty string");
        check(
                mqtt.password().isEmpty() || mqtt.passwordFile().isEmpty(),
                "bridge.mqtt.password-file",
                "and bridge.mqtt.password are both set; set one of them");
        readable(mqtt.passwordFile(), "bridge.mqtt.password-file");
        check(
                (mqtt.password().isEmpty() && mqtt.passwordFile().isEmpty())
                        || mqtt.username().isPresent(),
                "bridge.mqtt.username",
                "is required when bridge.mqtt.password or bridge.mqtt.password-file is set");
        check(
                mqtt.protocol().equals("5") || mqtt.protocol().equals("3.1.1"),
                "bridge.mqtt.protocol",
                "must be 5 or 3.1.1, is '" + mqtt.protocol() + "'");
        check(
                mqtt.sessionExpiry()
                        .map(d -> !d.isNegative() && d.toSeconds() <= 0xFFFFFFFFL)
                        .orElse(true),
                "bridge.mqtt.session-expiry",
                "must be 0s to 4294967295s (about 136 years); leave it unset for a session that never expires");
        check(
                mqtt.keepAlive().toSeconds() > 0 && mqtt.keepAlive().toSeconds() <= 65535,
                "bridge.mqtt.keep-alive",
                "must be 1s-65535s");
        check(mqtt.maxMessageBytes() > 0, "bridge.mqtt.max-message-bytes", "must be positive");
        BridgeConfig.Tls tls = mqtt.tls();
        readable(tls.caFile(), "bridge.mqtt.tls.ca-file");
        readable(tls.certFile(), "bridge.mqtt.tls.cert-file");
        readable(tls.keyFile(), "bridge.mqtt.tls.key-file");
        check(
                tls.certFile().isPresent() == tls.keyFile().isPresent(),
                tls.certFile().isPresent() ? "bridge.mqtt.tls.key-file" : "bridge.mqtt.tls.cert-file",
                "client certificate and key are set together");
        BridgeConfig.Telemetry telemetry = config.telemetry();
        check(
                telemetry.maxPayloadBytes() > 0 && telemetry.maxPayloadBytes() <= mqtt.maxMessageBytes(),
                "bridge.telemetry.max-payload-bytes",
                "must be positive and at most bridge.mqtt.max-message-bytes");
        check(telemetry.maxInFlight() > 0, "bridge.telemetry.max-in-flight", "must be positive");
        check(
                telemetry.maxInFlightBytes() >= telemetry.maxPayloadBytes(),
                "bridge.telemetry.max-in-flight-bytes",
                "must be at least bridge.telemetry.max-payload-bytes");
        check(
                TopicMapper.isLegalKafkaTopic(telemetry.deadLetterTopic()),
                "bridge.telemetry.dead-letter-topic",
                "'" + telemetry.deadLetterTopic() + "' is not a legal Kafka topic name");
        check(
                telemetry.unknownDevices() == UnknownDevicePolicy.ACCEPT
                        || config.registryFile().isPresent(),
                "bridge.telemetry.unknown-devices",
                "is 'reject' but no bridge.registry-file is set: every device would be rejected");
        readable(config.rulesFile(), "bridge.rules-file");
        validate(config.commands(), config.api());
        readable(config.registryFile(), "bridge.registry-file");
    }

    static void validate(BridgeConfig.Commands commands, BridgeConfig.Api api) {
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
        try {
            CommandTopics.of(commands.topicTemplate());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(
                    "bridge.commands.topic-template: " + e.getMessage(), Set.of("bridge.commands.topic-template"));
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
        check(
                commands.maxIdLength() > 0 && commands.maxIdLength() <= 1024,
                "bridge.commands.max-id-length",
                "must be 1-1024");
        check(api.maxWait().toMillis() > 0, "bridge.api.max-wait", "must be positive");
        check(api.kafkaWriteTimeout().toMillis() > 0, "bridge.api.kafka-write-timeout", "must be positive");
    }

    private static void readable(Optional<Path> file, String key) {
        file.ifPresent(
                path -> check(Files.isReadable(path), key, "file " + path + " does not exist or is not readable"));
    }

    private static void check(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigurationException(key + " " + problem, Set.of(key));
        }
    }
}
