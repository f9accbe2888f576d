package io.edgebridge.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.MappingRule.EventMode;
import io.edgebridge.mapping.MappingRule.PayloadFormat;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.mapping.TopicMatch;
import io.edgebridge.testkit.TestConfig;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules other flows add come first; a rules file may not take their names; a bad file names its key. */
class TelemetrySetupTest {

    @TempDir
    Path dir;

    private static final RuleExtension ANSWERS = new RuleExtension() {
        private final MappingRule rule = RulesLoader.rule(
                "answers",
                "devices/{deviceId}/answers",
                "answers",
                null,
                PayloadFormat.ANY,
                EventMode.BINARY,
                null,
                null,
                1);

        @Override
        public MappingRule rule() {
            return rule;
        }

        @Override
        public String origin() {
            return "the answers rule (test.answers)";
        }

        @Override
        public CompletionStage<Void> forwarded(TopicMatch match, Telemetry message) {
            return CompletableFuture.completedFuture(null);
        }
    };

    private TopicMapper mapper(String rules) throws Exception {
        Path file = Files.writeString(dir.resolve("rules.yaml"), rules);
        return TelemetrySetup.topicMapper(
                TestConfig.of(Map.of("bridge.rules-file", file.toString())), List.of(ANSWERS));
    }

    @Test
    void addedRulesMatchBeforeTheRulesFilesBroadOnes() throws Exception {
        TopicMapper mapper = mapper("""
                rules:
                  - name: everything
                    mqtt-topic: devices/{deviceId}/{kind}
                    kafka-topic: all
                """);
        assertEquals(
                List.of("answers", "everything"),
                mapper.rules().stream().map(MappingRule::name).toList());
        assertEquals("answers", mapper.match("devices/d1/answers").rule().name());
        assertEquals("everything", mapper.match("devices/d1/telemetry").rule().name());
    }

    @Test
    void aRulesFileThatReusesAnAddedRulesNameStopsStartupNamingTheKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> mapper("""
                rules:
                  - name: answers
                    mqtt-topic: devices/{deviceId}/telemetry
                    kafka-topic: telemetry
                """));
        assertEquals(
                "bridge.rules-file names a rule 'answers', which is the answers rule (test.answers)", e.getMessage());
        assertEquals(Set.of("bridge.rules-file"), e.getConfigKeys());
    }

    @Test
    void aBadRulesFileStopsStartupNamingTheKeyAndTheRule() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> mapper("""
                rules:
                  - name: broken
                    mqtt-topic: devices/{deviceId}/telemetry/{stream}
                    kafka-topic: telemetry.{streams}
                """));
        assertTrue(e.getMessage().startsWith("bridge.rules-file: rules file "), e.getMessage());
        assertTrue(e.getMessage().contains("rules[0] 'broken': 'kafka-topic'"), e.getMessage());
    }

    @Test
    void anIllegalDeadLetterTopicStopsStartupNamingTheKey() {
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> TelemetrySetup.topicMapper(
                        TestConfig.of(Map.of("bridge.telemetry.dead-letter-topic", "dead letters")), List.of()));
        assertEquals(
                "bridge.telemetry.dead-letter-topic 'dead letters' is not a legal Kafka topic name", e.getMessage());
    }
}
