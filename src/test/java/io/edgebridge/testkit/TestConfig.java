package io.edgebridge.testkit;

import io.edgebridge.config.BridgeConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** A {@link BridgeConfig} from properties, defaults for the rest, without starting Quarkus: for startup checks. */
public final class TestConfig {

    private TestConfig() {}

    public static BridgeConfig of(Map<String, String> properties) {
        // Quarkus's own converter reads durations like "30s"; plain SmallRye knows only ISO-8601.
        return new SmallRyeConfigBuilder()
                .withMapping(BridgeConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(BridgeConfig.class);
    }
}
