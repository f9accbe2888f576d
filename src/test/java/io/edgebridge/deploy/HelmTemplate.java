package io.edgebridge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code helm template} of the edge-bridge chart through the embedded Helm library (helm-java). */
final class HelmTemplate {

    static final Path CHART = Path.of("helm", "edge-bridge");
    static final String RELEASE = "plant-a";
    static final String NAMESPACE = "iot";

    private static final YAMLMapper YAML = new YAMLMapper();

    private HelmTemplate() {}

    /** The chart with no values file; the caller adds values and calls it. */
    static TemplateCommand command() {
        return command(RELEASE, NAMESPACE);
    }

    static TemplateCommand command(String release, String namespace) {
        return new Helm(CHART).template().withName(release).withNamespace(namespace);
    }

    /** A {@code ci/*-values.yaml} of the chart, by file name. */
    static Path ciValues(String ciFile) {
        return CHART.resolve("ci").resolve(ciFile);
    }

    /** The objects Helm renders with the given values file and {@code --set} pairs. */
    static List<JsonNode> render(Path valuesFile, Map<String, String> sets) {
        TemplateCommand template = command().withValuesFile(valuesFile);
        sets.forEach(template::set);
        return parse(template.call());
    }

    /** The objects of a rendered manifest stream. */
    static List<JsonNode> parse(String manifests) {
        try {
            List<JsonNode> docs = new ArrayList<>();
            for (JsonNode doc : YAML.readerFor(JsonNode.class)
                    .<JsonNode>readValues(manifests)
                    .readAll()) {
                if (doc != null && doc.isObject()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("rendered manifests are not YAML:\n" + manifests, e);
        }
    }

    static List<JsonNode> render(Path valuesFile) {
        return render(valuesFile, Map.of());
    }
}
