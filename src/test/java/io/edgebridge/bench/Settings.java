package io.edgebridge.bench;

import io.edgebridge.testkit.BridgeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark's {@code bench.*} properties (pom.xml's bench profile; docs/performance.md says what each does). */
record Settings(
        String selection,
        Duration duration,
        Duration warmup,
        Duration ceilingWarmup,
        Duration drain,
        int maxOutstanding,
        Integer rate,
        String[] bridgeJvm,
        Map<String, String> bridgeEnv,
        String protocol,
        int busyThreads,
        int busyDuty,
        List<Path> bridgeJars,
        int repeat) {

    /** What {@code bench.protocol} may say: the values of the bridge's {@code bridge.mqtt.protocol}. */
    static final List<String> PROTOCOLS = List.of("5", "3.1.1");

    static Settings fromSystemProperties() {
        String jvm = System.getProperty("bench.bridge-jvm", "").trim();
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : System.getProperty("bench.bridge-env", "").split(",")) {
            if (pair.contains("=")) {
                env.put(
                        pair.substring(0, pair.indexOf('=')).trim(),
                        pair.substring(pair.indexOf('=') + 1).trim());
            }
        }
        List<Path> jars = Arrays.stream(
                        System.getProperty("bench.bridge-jar", "").split(","))
                .map(String::trim)
                .filter(jar -> !jar.isEmpty())
                .map(jar -> jar.equals("current") ? BridgeProcess.JAR : Path.of(jar))
                .toList();
        return new Settings(
                System.getProperty("bench.scenarios", "all"),
                duration("bench.duration", "10s"),
                // The bridge starts fresh for every scenario and its JIT needs about a minute of load; the ceilings'
                // JVMs (load generator, Kafka) stay up across scenarios and Mosquitto has no JIT.
                duration("bench.warmup", "60s"),
                duration("bench.ceiling-warmup", "5s"),
                duration("bench.drain", "30s"),
                Integer.getInteger("bench.max-outstanding", 10_000),
                Integer.getInteger("bench.rate"),
                jvm.isEmpty() ? new String[0] : jvm.split("\\s+"),
                env,
                System.getProperty("bench.protocol", "").trim(),
                Integer.getInteger("bench.busy", 0),
                Integer.getInteger("bench.busy-duty", 50),
                jars.isEmpty() ? List.of(BridgeProcess.JAR) : jars,
                Math.max(1, Integer.getInteger("bench.repeat", 1)));
    }

    private static Duration duration(String property, String fallback) {
        return Duration.parse("PT" + System.getProperty(property, fallback).toUpperCase());
    }

    /** The scenarios {@code bench.scenarios} names (prefixes, or {@code all}), with {@code bench.rate} if set. */
    List<Scenario> scenarios() {
        return Scenario.ALL.stream()
                .filter(s -> selection.equals("all")
                        || Arrays.stream(selection.split(","))
                                .anyMatch(p -> s.name().startsWith(p.trim())))
                .map(s -> rate == null || s.kind() == Scenario.Kind.IDLE ? s : s.withRate(rate))
                .toList();
    }

    /** How long a CPU burner may live at most: a scenario's longest possible run, with a margin. */
    Duration burnerBound() {
        return warmup.plus(ceilingWarmup.multipliedBy(2))
                .plus(duration.plus(drain).multipliedBy(3))
                .plusMinutes(10);
    }
}
