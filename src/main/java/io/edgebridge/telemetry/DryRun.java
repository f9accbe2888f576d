package io.edgebridge.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgebridge.KafkaHeaders;
import io.edgebridge.config.UnknownDevicePolicy;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.ReservedNames;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.registry.DeviceDirectory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.header.Header;

/**
 * What the bridge would write to Kafka for one message, without brokers: the rules file and registry read and
 * checked as at startup, the message routed by the same router, and the records (topic, key, timestamp, headers,
 * value) or the dead letter described as JSON. The bridge's own command-responses rule is not among the rules.
 */
public final class DryRun {

    /** What a run answers: forwarded or filtered (exit 0), dead-lettered (exit 1). */
    public record Report(JsonNode json, int exitCode) {}

    /**
     * The bridge settings that change what a message becomes; {@link #DEFAULTS} are the bridge's defaults
     * ({@code bridge.telemetry.*}, {@code bridge.commands.max-id-length}).
     */
    public record Settings(
            UnknownDevicePolicy unknownDevices, int maxPayloadBytes, int maxDeviceIdLength, String deadLetterTopic) {
        public static final Settings DEFAULTS =
                new Settings(UnknownDevicePolicy.ACCEPT, 262_144, 128, "device-telemetry-dlq");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TelemetryRouter router;

    private DryRun(TelemetryRouter router) {
        this.router = router;
    }

    /**
     * Reads the rules (the built-in rule when {@code rulesFile} is null) and the registry (none when null) as the
     * bridge does at startup; {@link RulesLoader.InvalidRulesException} and
     * {@link DeviceDirectory.InvalidRegistryException} name the file, rule or device, and key at fault.
     */
    public static DryRun of(Path rulesFile, Path registryFile, Settings settings) {
        List<MappingRule> rules = rulesFile == null ? RulesLoader.defaults() : RulesLoader.load(rulesFile);
        Set<String> reserved = new HashSet<>(ReservedNames.ATTRIBUTES);
        for (MappingRule rule : rules) {
            rule.mqttTopic().segmentNames().forEach(name -> reserved.add(name.toLowerCase(Locale.ROOT)));
        }
        DeviceDirectory directory =
                registryFile == null ? DeviceDirectory.EMPTY : DeviceDirectory.read(registryFile, reserved);
        return new DryRun(new TelemetryRouter(
                new TopicMapper(rules),
                () -> directory,
                settings.unknownDevices(),
                settings.maxPayloadBytes(),
                settings.maxDeviceIdLength(),
                settings.deadLetterTopic()));
    }

    /** The records one QoS 1 message on {@code topic} becomes, received at {@code receivedAt}. */
    public Report run(String topic, byte[] payload, Instant receivedAt) {
        Routing routing = router.route(new Telemetry(topic, payload, 1, false, false, receivedAt.toEpochMilli()));
        ObjectNode report = JSON.createObjectNode();
        List<KafkaRecordPlan> records;
        if (routing instanceof Transformed transformed) {
            records = transformed.records();
            if (transformed.isFiltered()) {
                report.put("outcome", "filtered");
                report.put("rule", routing.rule());
                report.put("cause", transformed.filteredBecause());
                return new Report(report, 0);
            }
        } else {
            records = List.of((KafkaRecordPlan) routing);
        }
        KafkaRecordPlan first = records.get(0);
        report.put("outcome", first.isDeadLetter() ? "dead-lettered" : "forwarded");
        report.put("rule", routing.rule());
        if (first.isDeadLetter()) {
            report.put("reason", first.rejection().code());
            report.put("cause", header(first, KafkaHeaders.DEAD_LETTER_CAUSE));
        }
        ArrayNode written = report.putArray("records");
        records.forEach(record -> written.add(describe(record)));
        return new Report(report, first.isDeadLetter() ? 1 : 0);
    }

    /** One record as JSON: the value as JSON when it is, else as text when it is UTF-8, else as base64. */
    static ObjectNode describe(KafkaRecordPlan record) {
        ObjectNode json = JSON.createObjectNode();
        json.put("topic", record.topic());
        json.put("key", record.key());
        if (record.timestamp() != null) {
            json.put("timestamp", record.timestamp().toString());
        }
        ObjectNode headers = json.putObject("headers");
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        byte[] value = record.value();
        if (TelemetryRouter.jsonProblem(value) == null) {
            json.set("value", TelemetryRouter.readTree(value));
            return json;
        }
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
            json.put("value-text", text);
        } catch (CharacterCodingException e) {
            json.put("value-base64", Base64.getEncoder().encodeToString(value));
        }
        return json;
    }

    private static String header(KafkaRecordPlan record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
