package io.edgebridge.config;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** A startup check of one configuration key: anything wrong stops startup with the key named. */
public final class ConfigCheck {

    private ConfigCheck() {}

    /** Refuses the configuration unless {@code ok}: "{@code key} {@code problem}". */
    public static void check(boolean ok, String key, String problem) {
        if (!ok) {
            throw refused(key, problem);
        }
    }

    /** The file a key names, when set, must be readable. */
    public static void readable(Optional<Path> file, String key) {
        file.ifPresent(
                path -> check(Files.isReadable(path), key, "file " + path + " does not exist or is not readable"));
    }

    /** The refusal of a value whose checker said what is wrong: "{@code key}: {@code problem}". */
    public static ConfigurationException invalid(String key, String problem) {
        return new ConfigurationException(key + ": " + problem, Set.of(key));
    }

    private static ConfigurationException refused(String key, String problem) {
        return new ConfigurationException(key + " " + problem, Set.of(key));
    }
}
