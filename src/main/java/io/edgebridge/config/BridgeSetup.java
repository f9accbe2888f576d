package io.edgebridge.config;

import static io.edgebridge.config.ConfigCheck.check;
import static io.edgebridge.config.ConfigCheck.readable;

import io.edgebridge.command.CommandTopics;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.registry.UnknownDevicePolicy;

/** Checks the configuration. Anything wrong stops startup with the key named. */
public final class BridgeSetup {

    private BridgeSetup() {}

    /** Checks the values that need no flow knowledge; each flow's setup runs it before building anything. */
    public static void validate(BridgeConfig config) {
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
            throw ConfigCheck.invalid("bridge.commands.topic-template", e.getMessage());
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
}
