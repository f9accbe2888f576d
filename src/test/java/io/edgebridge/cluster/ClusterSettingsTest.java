package io.edgebridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.config.ClusterMode;
import io.edgebridge.testkit.TestConfig;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** bridge.cluster.*: defaults derived from the client id and the host, bad values refused naming the key. */
class ClusterSettingsTest {

    @Test
    void offByDefaultWithOneShardAndNoChecks() {
        ClusterSettings settings = settings(Map.of("bridge.mqtt.client-id", "plant/a"), "web-1");

        assertFalse(settings.enabled());
        assertEquals(1, settings.shards());
        assertEquals("web-1", settings.memberId());
        assertEquals(ClusterMode.HASH, settings.mode());
    }

    @Test
    void namesAreDerivedFromTheClientIdAndTheHost() {
        ClusterSettings settings = settings(
                Map.of("bridge.cluster.enabled", "true", "bridge.cluster.shards", "3"), "edge-bridge-5d8f-abcde");

        assertTrue(settings.enabled());
        assertEquals(3, settings.shards());
        assertEquals("edge-bridge-5d8f-abcde", settings.memberId());
        assertEquals("edge-bridge-cluster", settings.groupId());
        assertEquals("edge-bridge-shards", settings.topic());
        assertEquals(Duration.ofSeconds(15), settings.sessionTimeout());
        assertEquals(Duration.ofSeconds(10), settings.drainTimeout());
    }

    @Test
    void timingsKeepTheirProportionsToTheSessionTimeout() {
        ClusterSettings standard = settings(Map.of("bridge.cluster.enabled", "true"), "a");
        assertEquals(Duration.ofSeconds(10), standard.lease());
        assertEquals(Duration.ofMillis(1500), standard.heartbeatInterval());
        assertEquals(Duration.ofSeconds(1), standard.pollTimeout());
        assertEquals(Duration.ofSeconds(2), standard.requestTimeout());
        assertEquals(Duration.ofSeconds(12), standard.releaseTimeout());
        assertEquals(Duration.ofSeconds(37), standard.maxPollInterval());
        assertEquals(Duration.ofMillis(1500), standard.recordInterval());

        ClusterSettings fastest =
                settings(Map.of("bridge.cluster.enabled", "true", "bridge.cluster.session-timeout", "6s"), "a");
        assertEquals(Duration.ofSeconds(4), fastest.lease());
        assertEquals(Duration.ofMillis(600), fastest.heartbeatInterval());
        assertEquals(Duration.ofMillis(500), fastest.pollTimeout());
        assertTrue(fastest.pollTimeout().plus(fastest.requestTimeout()).compareTo(fastest.lease()) < 0);
    }

    @Test
    void explicitNamesWin() {
        ClusterSettings settings = settings(
                Map.of(
                        "bridge.cluster.enabled", "true",
                        "bridge.cluster.member-id", "bridge-a",
                        "bridge.cluster.group-id", "plant-a-shards",
                        "bridge.cluster.topic", "plant-a.shards",
                        "bridge.cluster.mode", "filters",
                        "bridge.cluster.shard-filters", "sites/a/#|devices/+/commands/+/response/+"),
                "ignored");

        assertEquals("bridge-a", settings.memberId());
        assertEquals("plant-a-shards", settings.groupId());
        assertEquals("plant-a.shards", settings.topic());
        assertEquals(ClusterMode.FILTERS, settings.mode());
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        refused("bridge.cluster.shards", Map.of("bridge.cluster.shards", "0"));
        refused("bridge.cluster.shards", Map.of("bridge.cluster.shards", "257"));
        refused("bridge.cluster.session-timeout", Map.of("bridge.cluster.session-timeout", "5s"));
        refused("bridge.cluster.session-timeout", Map.of("bridge.cluster.session-timeout", "31m"));
        refused("bridge.cluster.member-id", Map.of("bridge.cluster.member-id", "pod a"));
        refused("bridge.cluster.group-id", Map.of("bridge.cluster.group-id", " "));
        refused("bridge.cluster.topic", Map.of("bridge.cluster.topic", "plant/a"));
        refused("bridge.cluster.topic", Map.of("bridge.cluster.topic", ".."));
        refused("bridge.cluster.shard-filters", Map.of("bridge.cluster.mode", "filters"));
        refused(
                "bridge.cluster.shard-filters",
                Map.of(
                        "bridge.cluster.mode", "filters",
                        "bridge.cluster.shards", "2",
                        "bridge.cluster.shard-filters", "sites/a/#"));
        refused(
                "bridge.cluster.shard-filters",
                Map.of("bridge.cluster.mode", "filters", "bridge.cluster.shard-filters", "sites/a/#||x"));
        ConfigurationException derived = refused("bridge.cluster.topic", Map.of("bridge.mqtt.client-id", "plant/a"));
        assertTrue(derived.getMessage().contains("from bridge.mqtt.client-id"), derived.getMessage());
    }

    @Test
    void anUnusableHostNameAsksForAMemberId() {
        Map<String, String> on = Map.of("bridge.cluster.enabled", "true");
        ConfigurationException none = assertThrows(
                ConfigurationException.class, () -> ClusterSettings.from(TestConfig.of(on), Optional::empty));
        assertTrue(none.getMessage().startsWith("bridge.cluster.member-id is not set"), none.getMessage());
        assertThrows(ConfigurationException.class, () -> settings(on, "name with spaces"));
    }

    private static ConfigurationException refused(String key, Map<String, String> properties) {
        Map<String, String> on = new HashMap<>(properties);
        on.put("bridge.cluster.enabled", "true");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> settings(on, "host-1"));
        assertTrue(e.getMessage().startsWith(key + " "), e.getMessage());
        assertEquals(Set.of(key), e.getConfigKeys());
        return e;
    }

    private static ClusterSettings settings(Map<String, String> properties, String host) {
        return ClusterSettings.from(TestConfig.of(properties), () -> Optional.of(host));
    }
}
