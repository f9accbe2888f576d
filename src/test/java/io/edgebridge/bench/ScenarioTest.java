package io.edgebridge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** bench.scenarios takes name prefixes: a scenario's full name must not pick others too. */
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
}
