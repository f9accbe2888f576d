package io.edgebridge.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One template engine for Kafka topics, keys, headers and command topics. */
class TemplateTest {

    @Test
    void overAPatternPlaceholdersAreItsSegmentsAndRenderFromTheTopicsLevels() {
        TopicPattern pattern = TopicPattern.parse("sites/{site}/devices/{deviceId}");
        Template template = Template.parse("{site}.{deviceId}-x", pattern);
        assertEquals("berlin.d-1-x", template.render(new String[] {"sites", "berlin", "devices", "d-1"}));
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> Template.parse("{stream}", pattern));
        assertEquals(
                "'{stream}' uses {stream}, which is not a segment of 'sites/{site}/devices/{deviceId}'"
                        + " (segments: [site, deviceId])",
                unknown.getMessage());
    }

    @Test
    void overNamesPlaceholdersRenderFromValuesInTheNamesOrder() {
        List<String> names = List.of("deviceId", "name", "correlationId");
        Template template = Template.parse("devices/{deviceId}/commands/{name}/{correlationId}", names);
        assertEquals("devices/d/commands/n/c", template.render(new String[] {"d", "n", "c"}));
        assertEquals(
                "devices/{name}/commands/n/c",
                template.render(new String[] {"{name}", "n", "c"}),
                "a value is inserted as it is, never expanded again");
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> Template.parse("a/{site}", names));
        assertEquals("'a/{site}' uses {site}; allowed are [deviceId, name, correlationId]", unknown.getMessage());
    }

    @Test
    void malformedTemplatesSayWhatIsWrong() {
        List<String> names = List.of("a");
        assertEquals(
                "'x}' has a '}' without '{'",
                assertThrows(IllegalArgumentException.class, () -> Template.parse("x}", names))
                        .getMessage());
        assertEquals(
                "'{a' has an unclosed '{'",
                assertThrows(IllegalArgumentException.class, () -> Template.parse("{a", names))
                        .getMessage());
        assertEquals(
                "the template is empty",
                assertThrows(IllegalArgumentException.class, () -> Template.parse("", names))
                        .getMessage());
    }
}
