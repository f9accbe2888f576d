package io.edgebridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.TemplateCommand;
import io.edgebridge.deploy.KubernetesSchemas.Labelled;
import io.edgebridge.deploy.KubernetesSchemas.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The README's "Install on Kubernetes" as a user types it: the Secret it creates, the {@code helm install}
 * it runs (rendered with the same {@code --set} values and validated like the chart's own files) and the
 * readiness check it ends with must fit together, or the install would hang or fail. The production install in
 * docs/deployment.md names every Secret its values file references.
 */
class ReadmeInstallTest {

    private static final Path README = Path.of("README.md");
    private static final Path DEPLOYMENT = Path.of("docs", "deployment.md");

    @Test
    void threeCommandsCreateTheSecretInstallAndWaitForTheRenderedDeployment() throws Exception {
        List<List<String>> commands = installCommands();
        assertEquals(3, commands.size(), commands::toString);
        List<String> secret = commands.get(0);
        List<String> install = commands.get(1);
        List<String> rollout = commands.get(2);

        // kubectl -n NS create secret generic NAME --from-literal=KEY=... --from-file=KEY=...
        assertEquals(List.of("kubectl", "-n"), secret.subList(0, 2));
        String namespace = secret.get(2);
        assertEquals(List.of("create", "secret", "generic"), secret.subList(3, 6));
        String secretName = secret.get(6);
        Set<String> secretKeys = new TreeSet<>();
        for (String option : secret.subList(7, secret.size())) {
            assertTrue(option.startsWith("--from-literal=") || option.startsWith("--from-file="), option);
            secretKeys.add(option.substring(option.indexOf('=') + 1, option.indexOf('=', option.indexOf('=') + 1)));
        }

        // helm install RELEASE CHART -n NS --set k=v ...
        assertEquals(List.of("helm", "install"), install.subList(0, 2));
        String release = install.get(2);
        assertEquals(HelmTemplate.CHART.normalize(), Path.of(install.get(3)).normalize());
        TemplateCommand template = HelmTemplate.command(release, option(install, "-n"));
        assertEquals(namespace, option(install, "-n"));
        for (int i = 4; i < install.size(); i++) {
            if (install.get(i).equals("--set")) {
                String[] pair = install.get(++i).split("=", 2);
                template.set(pair[0], pair[1]);
            }
        }
        List<JsonNode> docs = HelmTemplate.parse(template.call());

        List<Verdict> verdicts = KubernetesSchemas.validate(
                docs.stream().map(d -> new Labelled("README", d)).toList());
        assertTrue(verdicts.stream().allMatch(Verdict::valid), verdicts::toString);
        JsonNode deployment = docs.stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                Map.of(secretName, new TreeSet<>(secretKeys)),
                secretsReferenced(deployment),
                "the chart must reference exactly the Secret and keys the first command creates");

        // kubectl -n NS rollout status deployment/NAME: rollout waits for the readiness probe.
        assertEquals(List.of("kubectl", "-n", namespace, "rollout", "status"), rollout.subList(0, 5));
        assertEquals("deployment/" + deployment.at("/metadata/name").asText(), rollout.get(5));
        assertEquals(
                "/q/health/ready",
                deployment
                        .at("/spec/template/spec/containers/0/readinessProbe/httpGet/path")
                        .asText());
    }

    @Test
    void deploymentGuideNamesEverySecretTheProductionValuesReference() throws IOException {
        String guide = Files.readString(DEPLOYMENT);
        JsonNode deployment = HelmTemplate.render(KubernetesSchemaTest.PRODUCTION_VALUES).stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow();

        Map<String, Set<String>> secrets = secretsReferenced(deployment);
        assertEquals(Set.of("edge-bridge-mqtt", "edge-bridge-kafka", "kafka-cluster-ca-cert"), secrets.keySet());
        secrets.keySet().forEach(name -> assertTrue(guide.contains("`" + name + "`"), name));
        assertTrue(guide.contains("`sasl.jaas.config`"));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The commands of the bash block under "### Install on Kubernetes", split into words. */
    private static List<List<String>> installCommands() throws IOException {
        String readme = Files.readString(README);
        int section = readme.indexOf("### Install on Kubernetes");
        assertTrue(section >= 0, "README has no Install on Kubernetes section");
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        String block = readme.substring(start, readme.indexOf("```", start)).replace("\\\n", " ");
        List<List<String>> commands = new ArrayList<>();
        for (String line : block.lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList()) {
            commands.add(Arrays.asList(line.split("\\s+")));
        }
        return commands;
    }

    private static String option(List<String> command, String name) {
        int index = command.indexOf(name);
        assertTrue(index >= 0 && index + 1 < command.size(), () -> name + " missing in " + command);
        return command.get(index + 1);
    }

    /** Every Secret the pod reads, by name, with the keys it reads from it (env references and volumes). */
    private static Map<String, Set<String>> secretsReferenced(JsonNode deployment) {
        Map<String, Set<String>> secrets = new TreeMap<>();
        JsonNode pod = deployment.at("/spec/template/spec");
        for (JsonNode container : pod.path("containers")) {
            for (JsonNode variable : container.path("env")) {
                JsonNode ref = variable.at("/valueFrom/secretKeyRef");
                if (!ref.isMissingNode()) {
                    secrets.computeIfAbsent(ref.path("name").asText(), n -> new TreeSet<>())
                            .add(ref.path("key").asText());
                }
            }
        }
        for (JsonNode volume : pod.path("volumes")) {
            JsonNode secret = volume.path("secret");
            if (!secret.isMissingNode()) {
                Set<String> keys =
                        secrets.computeIfAbsent(secret.path("secretName").asText(), n -> new TreeSet<>());
                secret.path("items").forEach(item -> keys.add(item.path("key").asText()));
            }
        }
        return new LinkedHashMap<>(secrets);
    }
}
