package io.edgebridge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes OpenAPI schemas, offline: the node project in {@code src/test/kubernetes-schemas}
 * (kubernetes-models, compiled from Kubernetes v1.33, plus the prometheus-operator CRDs) run with node.
 * Its packages are installed with {@code npm ci} into {@code target/kubernetes-schemas} when missing or
 * when the lock file changed, so a fresh clone needs only node and npm.
 */
final class KubernetesSchemas {

    private static final Path PROJECT = Path.of("src", "test", "kubernetes-schemas");
    private static final Path INSTALLED = Path.of("target", "kubernetes-schemas");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "validate.mjs");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the schemas say of one object; no errors means a Kubernetes API server would take it. */
    record Verdict(String source, String kind, String name, List<String> errors) {
        boolean valid() {
            return errors.isEmpty();
        }

        @Override
        public String toString() {
            return source + ": " + kind + "/" + name + (valid() ? " valid" : " " + errors);
        }
    }

    /** An object to validate and where it came from (a values file, a test case). */
    record Labelled(String source, JsonNode object) {}

    private KubernetesSchemas() {}

    /** Validates every object in one node run and returns one verdict per object, in order. */
    static List<Verdict> validate(List<Labelled> objects) throws IOException, InterruptedException {
        Path dir = install();
        ArrayNode input = JSON.createArrayNode();
        for (Labelled labelled : objects) {
            input.addObject().put("source", labelled.source()).set("object", labelled.object());
        }
        Path file = Files.createTempFile(INSTALLED, "objects-", ".json");
        try {
            JSON.writeValue(file.toFile(), input);
            Run run = run(
                    dir,
                    "node validate.mjs",
                    List.of("node", "validate.mjs", file.toAbsolutePath().toString()));
            // 0: all valid, 1: some invalid; anything else is the validator failing, not the manifests.
            if (run.exit != 0 && run.exit != 1) {
                throw new IllegalStateException("validate.mjs failed (exit " + run.exit + "):\n" + run.output);
            }
            List<Verdict> verdicts = new ArrayList<>();
            for (JsonNode entry : JSON.readTree(run.stdout)) {
                List<String> errors = new ArrayList<>();
                entry.path("errors").forEach(e -> errors.add(e.asText()));
                verdicts.add(new Verdict(
                        entry.path("source").asText(),
                        entry.path("kind").asText(),
                        entry.path("name").asText(),
                        errors));
            }
            if (verdicts.size() != objects.size()
                    || (run.exit == 0) != verdicts.stream().allMatch(Verdict::valid)) {
                throw new IllegalStateException("validate.mjs answered " + verdicts.size() + " verdicts for "
                        + objects.size() + " objects with exit " + run.exit + ":\n" + run.output);
            }
            return verdicts;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The validator with its node_modules, installed once per lock file. */
    private static synchronized Path install() throws IOException, InterruptedException {
        Files.createDirectories(INSTALLED);
        for (String name : FILES) {
            Files.copy(PROJECT.resolve(name), INSTALLED.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        Path marker = INSTALLED.resolve("node_modules").resolve(".installed-from-lock");
        String lock = Files.readString(PROJECT.resolve("package-lock.json"));
        if (!Files.exists(marker) || !Files.readString(marker).equals(lock)) {
            Run npm = run(INSTALLED, "npm ci", List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"));
            if (npm.exit != 0) {
                throw new IllegalStateException(
                        "npm ci in " + INSTALLED + " failed (exit " + npm.exit + "):\n" + npm.output);
            }
            Files.writeString(marker, lock);
        }
        return INSTALLED;
    }

    private record Run(int exit, String stdout, String output) {}

    private static Run run(Path dir, String what, List<String> command) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("k8s-schemas-", ".out");
        Path stderr = Files.createTempFile("k8s-schemas-", ".err");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException(
                        command.get(0) + " is not installed: the Kubernetes schema check needs "
                                + "node and npm (apt-get install nodejs npm; ./mvnw verify does as root)",
                        e);
            }
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(what + " did not finish within 5 minutes");
            }
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            return new Run(process.exitValue(), out, out + err);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
