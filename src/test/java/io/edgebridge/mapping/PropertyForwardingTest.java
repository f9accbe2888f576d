package io.edgebridge.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules file's user-properties block: what it forwards, its caps, and what it refuses at startup. */
class PropertyForwardingTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static PropertyForwarding parse(String yaml) throws Exception {
        return PropertyForwarding.parse(YAML.readTree(yaml));
    }

    @Test
    void withoutABlockNothingIsForwarded() {
        assertFalse(PropertyForwarding.parse(null).forwardsAny());
    }

    @Test
    void anyNameWithAStarStillWithinTheCaps() throws Exception {
        PropertyForwarding any = parse("{allow: ['*'], header-prefix: 'x-', max-count: 2}");
        PropertyForwarding.Selection selection =
                any.select(List.of(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3")));
        assertEquals(List.of(Map.entry("x-a", "1"), Map.entry("x-b", "2")), selection.headers());
        assertEquals(1, selection.leftOut());
    }

    @Test
    void repeatedNamesKeepTheirOrder() throws Exception {
        PropertyForwarding trace = parse("{allow: [trace]}");
        assertEquals(
                List.of(Map.entry("mqtt-trace", "1"), Map.entry("mqtt-trace", "2")),
                trace.select(List.of(Map.entry("trace", "1"), Map.entry("trace", "2")))
                        .headers());
    }

    @Test
    void aBlockThatCannotWorkStopsStartupNamingTheKey() {
        for (String bad : List.of(
                "{header-prefix: x}",
                "{allow: []}",
                "{allow: [1]}",
                "{allow: [a], max-count: 0}",
                "{allow: [a], max-count: 1000}",
                "{allow: [a], max-bytes: 70000}",
                "{allow: [a], prefix: x}",
                "[a]")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(bad), bad);
            assertTrue(e.getMessage().contains("user-properties"), e.getMessage());
        }
    }

    @Test
    void theRulesFileTakesTheBlock() throws Exception {
        MappingRule rule = RulesLoader.parse(YAML.readTree("""
                        rules:
                          - name: r
                            mqtt-topic: devices/{deviceId}/x
                            kafka-topic: t
                            user-properties: {allow: [trace-id], max-count: 4}
                        """)).get(0);
        assertEquals(4, rule.userProperties().maxCount());
        assertTrue(rule.userProperties().allow().contains("trace-id"));
    }
}
