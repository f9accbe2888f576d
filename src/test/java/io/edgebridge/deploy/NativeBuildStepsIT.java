package io.edgebridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quarkus's native build steps, run without a GraalVM toolchain ({@code -Dnative -Dquarkus.native.sources-only=true})
 * on a copy of the project: they fail on what Quarkus knows cannot work natively, and leave the arguments and the
 * reflection configuration {@code native-image} would get, checked here against what the bridge needs at run time.
 */
class NativeBuildStepsIT {

    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final Path COPY = PROJECT.resolve(Path.of("target", "native-build-steps"));
    static final Path SOURCES = COPY.resolve(Path.of("target", "native-sources"));
    // The classes lz4-java loads by name: its Java implementations and the xxhash checksum factories.
    static final Pattern LZ4_BY_NAME = Pattern.compile("net/jpountz/(lz4/LZ4(HC)?Java(Safe|Unsafe)\\w*"
            + "|xxhash/XXHash(32|64)Java(Safe|Unsafe)"
            + "|xxhash/StreamingXXHash(32|64)Java(Safe|Unsafe)\\$Factory)\\.class");

    static String args;
    static Set<String> reflective;

    @BeforeAll
    static void runNativeBuildSteps() throws Exception {
        deleteTree(COPY);
        Files.createDirectories(COPY);
        Files.copy(PROJECT.resolve("pom.xml"), COPY.resolve("pom.xml"));
        copyTree(PROJECT.resolve(".mvn"), COPY.resolve(".mvn"));
        copyTree(PROJECT.resolve(Path.of("src", "main")), COPY.resolve(Path.of("src", "main")));

        List<String> command = new ArrayList<>(List.of(
                PROJECT.resolve("mvnw").toString(),
                "-B",
                "-q",
                "package",
                "-Dnative",
                "-Dquarkus.native.sources-only=true",
                "-Dmaven.test.skip=true",
                "-DskipTests",
                // The copy holds src/main only: no style rules, no test setup; the real build checks those.
                "-Dcheckstyle.skip",
                "-Dspotless.check.skip=true"));
        String repository = System.getProperty("maven.repo.local");
        if (repository != null && !repository.isBlank()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        Path log = COPY.resolve("build.log");
        long start = System.nanoTime();
        Process build = new ProcessBuilder(command)
                .directory(COPY.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = build.waitFor(20, TimeUnit.MINUTES);
        if (!finished) {
            build.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        System.out.printf("native build steps: %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        assertTrue(finished && build.exitValue() == 0, "native build steps failed:\n" + Files.readString(log));

        args = Files.readString(SOURCES.resolve("native-image.args"));
        Path runner;
        try (Stream<Path> files = Files.list(SOURCES)) {
            runner = files.filter(p -> p.toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow();
        }
        try (JarFile jar = new JarFile(runner.toFile());
                InputStream config = jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json"))) {
            reflective = new TreeSet<>();
            for (JsonNode entry : new ObjectMapper().readTree(config)) {
                reflective.add(entry.get("name").asText());
            }
        }
    }

    @Test
    void kafkaClassesNamedInTheConfigurationAreRegisteredForReflection() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(PROJECT.resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        Set<String> named = properties.stringPropertyNames().stream()
                .filter(key -> key.endsWith(".serializer") || key.endsWith(".deserializer"))
                .map(properties::getProperty)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(named.size() >= 4, "the channels name their (de)serializers: " + named);
        // SASL PLAIN and SCRAM, the mechanisms docs/security.md and the Helm chart offer.
        named.add("org.apache.kafka.common.security.plain.PlainLoginModule");
        named.add("org.apache.kafka.common.security.scram.ScramLoginModule");
        Set<String> missing =
                named.stream().filter(name -> !reflective.contains(name)).collect(Collectors.toSet());
        assertEquals(Set.of(), missing, "classes Kafka instantiates by name but native-image would not contain");
        assertTrue(args.contains("ScramSaslClientProvider"), "SCRAM's security provider is added: " + args);
    }

    @Test
    void lz4CompressionCanFindItsImplementations() throws IOException {
        Path jar;
        try (Stream<Path> libs = Files.list(SOURCES.resolve("lib"))) {
            jar = libs.filter(p -> p.getFileName().toString().contains("lz4-java"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("lz4-java is not among the native sources' libraries"));
        }
        Set<String> loadedByName;
        try (JarFile lz4 = new JarFile(jar.toFile())) {
            loadedByName = lz4.stream()
                    .map(e -> e.getName())
                    .filter(name -> LZ4_BY_NAME.matcher(name).matches())
                    .map(name ->
                            name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertTrue(loadedByName.size() >= 16, "lz4 and xxhash implementations found in " + jar + ": " + loadedByName);
        Set<String> missing = loadedByName.stream()
                .filter(name -> !reflective.contains(name))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), missing, "lz4-java classes not registered (see NativeReflection)");
    }

    @Test
    void tlsAndConfigurationReachTheNativeExecutable() {
        assertTrue(args.contains("--enable-url-protocols=http,https"), "quarkus.ssl.native took effect: " + args);
        assertTrue(args.contains("--no-fallback"), "no JVM fallback image");
        // The @ConfigMapping implementation and the enum it converts are what configuration needs by reflection.
        assertTrue(reflective.contains("io.edgebridge.config.BridgeConfig$$CMImpl"), "BridgeConfig registered");
        assertTrue(reflective.contains("io.edgebridge.config.UnknownDevicePolicy"), "config enum registered");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
