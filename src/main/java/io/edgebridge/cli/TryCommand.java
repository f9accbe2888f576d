package io.edgebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgebridge.config.UnknownDevicePolicy;
import io.edgebridge.mapping.RulesLoader;
import io.edgebridge.registry.DeviceDirectory;
import io.edgebridge.telemetry.DryRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code try}: what the bridge would write to Kafka for one message, without brokers. Prints the records (topic,
 * key, timestamp, headers, value) or the dead letter as JSON. Exit 0: forwarded or filtered; 1: dead-lettered; 2:
 * the rules or registry file is refused (the message names the file, rule and position); 64: wrong usage.
 * Options default to the bridge's own environment variables, so inside the bridge's container it tries the
 * deployed rules and registry.
 */
final class TryCommand {

    static final String NAME = "try";
    static final int DEAD_LETTERED = 1;
    static final int REFUSED = 2;
    static final int USAGE = 64;

    /** Option -> the environment variable that gives its default. */
    private static final Map<String, String> FROM_ENVIRONMENT = Map.of(
            "--rules", "BRIDGE_RULES_FILE",
            "--registry", "BRIDGE_REGISTRY_FILE",
            "--unknown-devices", "BRIDGE_TELEMETRY_UNKNOWN_DEVICES",
            "--max-payload-bytes", "BRIDGE_TELEMETRY_MAX_PAYLOAD_BYTES",
            "--dead-letter-topic", "BRIDGE_TELEMETRY_DEAD_LETTER_TOPIC",
            "--max-id-length", "BRIDGE_COMMANDS_MAX_ID_LENGTH");

    private static final List<String> OPTIONS = List.of(
            "--rules",
            "--registry",
            "--topic",
            "--payload",
            "--payload-file",
            "--received-at",
            "--unknown-devices",
            "--max-payload-bytes",
            "--dead-letter-topic",
            "--max-id-length");

    static final String USAGE_TEXT = """
            usage: java -jar quarkus-run.jar try --topic TOPIC (--payload TEXT | --payload-file FILE|-)
                       [--rules FILE] [--registry FILE] [--received-at RFC3339]
                       [--unknown-devices accept|reject] [--max-payload-bytes N] [--dead-letter-topic TOPIC]
                       [--max-id-length N]
            Prints, as JSON, the Kafka records the bridge would write for one message on TOPIC, or the dead letter.
            --rules and --registry default to BRIDGE_RULES_FILE and BRIDGE_REGISTRY_FILE (the built-in rule and no
            registry without them); the other options to their BRIDGE_* variables, then the bridge's defaults.
            Exit 0: forwarded or filtered; 1: dead-lettered; 2: rules or registry file refused; 64: wrong usage.""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TryCommand() {}

    static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        Map<String, String> options;
        DryRun.Settings settings;
        byte[] payload;
        Instant receivedAt;
        try {
            options = options(args, env);
            settings = settings(options);
            payload = payload(options, in);
            receivedAt =
                    options.containsKey("--received-at") ? Instant.parse(options.get("--received-at")) : Instant.now();
        } catch (IllegalArgumentException | DateTimeParseException | IOException e) {
            err.println("try: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        DryRun dryRun;
        try {
            dryRun = DryRun.of(path(options, "--rules"), path(options, "--registry"), settings);
        } catch (RulesLoader.InvalidRulesException | DeviceDirectory.InvalidRegistryException e) {
            ObjectNode refused = JSON.createObjectNode();
            refused.put("outcome", "refused");
            refused.put("problem", e.getMessage());
            print(out, refused);
            err.println("try: " + e.getMessage());
            return REFUSED;
        }
        DryRun.Report report = dryRun.run(options.get("--topic"), payload, receivedAt);
        print(out, report.json());
        return report.exitCode();
    }

    private static Map<String, String> options(String[] args, Map<String, String> env) {
        Map<String, String> options = new HashMap<>();
        FROM_ENVIRONMENT.forEach((option, variable) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                options.put(option, value);
            }
        });
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("unknown option '" + option + "'");
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            options.put(option, args[++i]);
        }
        if (!options.containsKey("--topic")) {
            throw new IllegalArgumentException("--topic is required");
        }
        if (options.containsKey("--payload") == options.containsKey("--payload-file")) {
            throw new IllegalArgumentException("give exactly one of --payload and --payload-file");
        }
        return options;
    }

    private static DryRun.Settings settings(Map<String, String> options) {
        DryRun.Settings defaults = DryRun.Settings.DEFAULTS;
        UnknownDevicePolicy unknown = defaults.unknownDevices();
        if (options.containsKey("--unknown-devices")) {
            String value = options.get("--unknown-devices").toUpperCase(Locale.ROOT);
            if (!value.equals("ACCEPT") && !value.equals("REJECT")) {
                throw new IllegalArgumentException("--unknown-devices is accept or reject");
            }
            unknown = UnknownDevicePolicy.valueOf(value);
        }
        return new DryRun.Settings(
                unknown,
                positive(options, "--max-payload-bytes", defaults.maxPayloadBytes()),
                positive(options, "--max-id-length", defaults.maxDeviceIdLength()),
                options.getOrDefault("--dead-letter-topic", defaults.deadLetterTopic()));
    }

    private static int positive(Map<String, String> options, String option, int fallback) {
        String value = options.get(option);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(option + " must be a positive whole number, not '" + value + "'");
    }

    private static byte[] payload(Map<String, String> options, InputStream in) throws IOException {
        if (options.containsKey("--payload")) {
            return options.get("--payload").getBytes(StandardCharsets.UTF_8);
        }
        String file = options.get("--payload-file");
        return file.equals("-") ? in.readAllBytes() : Files.readAllBytes(Path.of(file));
    }

    private static Path path(Map<String, String> options, String option) {
        String value = options.get(option);
        return value == null ? null : Path.of(value);
    }

    private static void print(PrintStream out, Object json) {
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON into memory failed", e);
        }
        out.flush();
    }
}
