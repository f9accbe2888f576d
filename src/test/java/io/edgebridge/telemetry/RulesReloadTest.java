package io.edgebridge.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.MappingRule.EventMode;
import io.edgebridge.mapping.MappingRule.PayloadFormat;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.mapping.TopicMatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A changed rules file is applied with the checks of startup, or refused with the reason; the rules in force stay. */
class RulesReloadTest {

    @TempDir
    Path dir;

    private static final RuleExtension RESPONSES = new RuleExtension() {
        private final MappingRule rule = RulesLoader.rule(
                "responses",
                "devices/{deviceId}/responses",
                "responses",
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
            return "the responses rule (test)";
        }

        @Override
        public CompletionStage<Void> forwarded(TopicMatch match, Telemetry message) {
            return CompletableFuture.completedFuture(null);
        }
    };

    private final TopicMapper current = TelemetrySetup.withAdded(
            List.of(
                    RulesLoader.rule(
                            "telemetry",
                            "devices/{deviceId}/telemetry",
                            "telemetry",
                            null,
                            PayloadFormat.ANY,
                            EventMode.BINARY,
                            null,
                            null,
                            1),
                    RulesLoader.rule(
                            "old", "old/{deviceId}", "old", null, PayloadFormat.ANY, EventMode.BINARY, null, null, 1)),
            List.of(RESPONSES));

    private final List<List<String>> offered = new ArrayList<>();

    private RulesReload.Outcome reload(String rules, String clash) throws Exception {
        Path file = Files.writeString(dir.resolve("rules.yaml"), rules);
        return RulesReload.of(file, current, List.of(RESPONSES), segments -> {
            offered.add(segments);
            return clash;
        });
    }

    @Test
    void aGoodFileGivesTheNewRulesAfterTheAddedOnesAndTheSubscriptionChange() throws Exception {
        RulesReload.Applied applied = assertInstanceOf(RulesReload.Applied.class, reload("""
                rules:
                  - name: telemetry
                    mqtt-topic: devices/{deviceId}/telemetry
                    kafka-topic: telemetry.v2
                    qos: 2
                  - name: batches
                    mqtt-topic: devices/{deviceId}/batch
                    kafka-topic: readings
                    format: json
                    transform:
                      jslt: '[for (.readings) .]'
                """, null));
        assertEquals(
                List.of("responses", "telemetry", "batches"),
                applied.rules().rules().stream().map(MappingRule::name).toList());
        assertEquals(
                "telemetry.v2", applied.rules().match("devices/d1/telemetry").kafkaTopic());
        FilterChange change = applied.change();
        assertEquals(Map.of("devices/+/telemetry", 2, "devices/+/batch", 1), change.toSubscribe(), "new and re-QoSed");
        assertEquals(List.of("old/+"), change.toUnsubscribe());
        assertEquals(List.of(List.of("deviceId", "deviceId", "deviceId")), offered, "segments offered to the registry");
    }

    @Test
    void aBrokenFileIsRefusedNamingTheFileTheRuleAndThePosition() throws Exception {
        RulesReload.Refused refused = assertInstanceOf(RulesReload.Refused.class, reload("""
                rules:
                  - name: batches
                    mqtt-topic: devices/{deviceId}/batch
                    kafka-topic: readings
                    format: json
                    transform:
                      jslt: |
                        [for (.readings)
                          {"f": .f]
                """, null));
        assertTrue(
                refused.reason()
                        .matches("rules file .*rules\\.yaml: rules\\[0] 'batches': transform: 'jslt' line 2,"
                                + " column 11: unexpected ']'"),
                refused.reason());
        assertEquals(List.of(), offered, "the registry is not asked about a file that is refused anyway");
    }

    @Test
    void aFileThatTakesAnAddedRulesNameIsRefused() throws Exception {
        RulesReload.Refused refused = assertInstanceOf(RulesReload.Refused.class, reload("""
                rules:
                  - name: responses
                    mqtt-topic: devices/{deviceId}/telemetry
                    kafka-topic: telemetry
                """, null));
        assertEquals(
                "bridge.rules-file names a rule 'responses', which is the responses rule (test)", refused.reason());
    }

    @Test
    void aSegmentTheRegistryUsesAsAnAttributeIsRefused() throws Exception {
        RulesReload.Refused refused = assertInstanceOf(
                RulesReload.Refused.class, reload("""
                rules:
                  - name: sites
                    mqtt-topic: sites/{site}/{deviceId}
                    kafka-topic: sites
                """, "device 'd1' of the registry has an attribute 'site'"));
        assertTrue(refused.reason().endsWith("rules.yaml: device 'd1' of the registry has an attribute 'site'"));
    }

    @Test
    void theSameFiltersChangeNothing() {
        FilterChange same = new FilterChange(Map.of("a/+", 1, "b/+", 2), Map.of("b/+", 2, "a/+", 1));
        assertTrue(same.isEmpty());
        assertEquals(Map.of(), same.toSubscribe());
        assertEquals(List.of(), same.toUnsubscribe());
        FilterChange lower = new FilterChange(Map.of("a/+", 2), Map.of("a/+", 1));
        assertEquals(Map.of("a/+", 1), lower.toSubscribe(), "a lower QoS is a new SUBSCRIBE too");
    }
}
