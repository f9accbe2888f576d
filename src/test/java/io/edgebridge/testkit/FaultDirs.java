package io.edgebridge.testkit;

import java.nio.file.Path;
import org.junit.jupiter.api.TestInfo;

/**
 * Where a fault test keeps its brokers' files and its bridges' logs: a new directory under {@code target/faults}
 * for every run, named after the test, so a failed run's logs stay beside the others for reading.
 */
public final class FaultDirs {

    private FaultDirs() {}

    /** {@code target/faults/<name>-<nanos>}, absolute. */
    public static Path of(String name) {
        return Path.of("target", "faults", name + "-" + System.nanoTime()).toAbsolutePath();
    }

    /** {@code target/faults/<prefix><test method>-<nanos>}, absolute. */
    public static Path of(String prefix, TestInfo test) {
        return of(prefix + test.getTestMethod().orElseThrow().getName());
    }
}
