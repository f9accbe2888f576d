package io.edgebridge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The matrix: names earlier results use, the issue's rates, and how bench.scenarios and bench.rate pick. */
class ScenarioTest {

    @Test
    void aScenarioChosenByItsFullNameIsTheOnlyOneChosen() {
        for (Scenario scenario : Scenario.ALL) {
            assertEquals(
                    1,
                    Scenario.ALL.stream()
                            .filter(other -> other.name().startsWith(scenario.name()))
                            .count(),
                    scenario.name());
        }
    }

    @Test
    void earlierResultsKeepTheirNamesAndMeanings() {
        assertEquals(
                new Scenario(
                        "telemetry-max-1000dev-256B-qos1",
                        Scenario.Kind.TELEMETRY,
                        1000,
                        256,
                        1,
                        0,
                        Scenario.Rule.OPAQUE,
                        1,
                        0),
                only("telemetry-max-1000dev-256B-qos1", null));
        assertEquals(
                new Scenario(
                        "commands-5000ps-1000dev-256B-qos1",
                        Scenario.Kind.COMMANDS,
                        1000,
                        256,
                        1,
                        5000,
                        Scenario.Rule.OPAQUE,
                        1,
                        0),
                only("commands-5000ps-1000dev-256B-qos1", null));
    }

    @Test
    void theFixedRatesAreOneThousandAndFiveThousandPerSecondInBothDirections() {
        assertEquals(1000, only("telemetry-1000ps", null).rate());
        assertEquals(5000, only("telemetry-5000ps", null).rate());
        assertEquals(1000, only("commands-1000ps", null).rate());
        assertEquals(Scenario.Kind.COMMANDS, only("commands-1000ps", null).kind());
    }

    @Test
    void threeReplicasShareThreeShards() {
        Scenario replicas = only("replicas-3x3shards", null);

        assertEquals(3, replicas.replicas());
        assertEquals(3, replicas.shards());
        assertTrue(replicas.clustered());
    }

    @Test
    void benchRateGivesEveryTrafficScenarioThatRateButLeavesIdleIdle() {
        assertEquals(200, only("telemetry-max-1000dev-256B-qos1", 200).rate());
        assertEquals(0, only("idle", 200).rate());
    }

    @Test
    void everyScenarioButTheSingleDeviceOneHasTheIssuesThousandDevicesAndTwoHundredFiftySixBytes() {
        for (Scenario s : Scenario.ALL) {
            if (!s.name().contains("-1dev-") && !s.name().contains("-4KB-")) {
                assertEquals(1000, s.devices(), s.name());
                assertEquals(256, s.size(), s.name());
            }
        }
    }

    private static Scenario only(String selection, Integer rate) {
        List<Scenario> chosen = new Settings(
                        selection,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        10,
                        rate,
                        new String[0],
                        Map.of(),
                        "",
                        0,
                        50,
                        List.of(Path.of("bridge.jar")),
                        1)
                .scenarios();
        assertEquals(1, chosen.size(), selection + ": " + chosen);
        return chosen.get(0);
    }
}
