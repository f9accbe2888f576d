package io.edgebridge.bench;

import java.util.List;

/**
 * One row of the benchmark's matrix. {@code rate} 0 means as fast as the path takes them. {@code replicas} 1 and
 * {@code shards} 0 is one bridge without clustering; {@code shards} above 0 turns clustering on
 * ({@code bridge.cluster.*}) with that many shards, shared by {@code replicas} bridges.
 */
record Scenario(String name, Kind kind, int devices, int size, int qos, int rate, Rule rule, int replicas, int shards) {

    enum Kind {
        /** devices -> MQTT -> bridge -> Kafka */
        TELEMETRY,
        /** Kafka -> bridge -> MQTT -> devices */
        COMMANDS,
        /** the bridge with its devices connected and no traffic */
        IDLE
    }

    /** The mapping rule of a telemetry scenario: the same topics, with more or less work per message. */
    enum Rule {
        /** payloads forwarded as they are, unparsed (the built-in rule's shape) */
        OPAQUE(""),
        /** {@code format: json}: each payload is parsed, and forwarded as it is */
        JSON("    format: json\n"),
        /** a transform as docs/transform.md shows it: a condition, renamed and computed fields, an event time */
        JSLT("""
                    format: json
                    transform:
                      when: '.test != true'
                      jslt: |
                        {"id": .id, "device": $deviceId, "location": .site, "count": size(.readings),
                         "celsius": [for (.readings) (.f - 32) * 5 / 9], "ts": .readings[0].ts}
                      event-time: /ts
                """),
        /**
         * The same, split into one record per reading. Only the first record carries the message's id, so the far
         * end counts each message once; the others are counted as foreign. The array is in parentheses: right after
         * {@code let site = .site}, a bare {@code [} would index {@code .site}.
         */
        SPLIT("""
                    format: json
                    transform:
                      when: '.test != true'
                      jslt: |
                        let id = .id
                        let site = .site
                        ([for (zip-with-index(.readings)) {"id": if (.index == 0) $id, "device": $deviceId,
                         "location": $site, "celsius": (.value.f - 32) * 5 / 9, "ts": .value.ts}])
                      event-time: /ts
                """);

        private final String yaml;

        Rule(String yaml) {
            this.yaml = yaml;
        }

        boolean json() {
            return this != OPAQUE;
        }

        /** The rules file: every device's telemetry to {@code kafkaTopic}, with this rule's extra keys. */
        String rulesFile(String kafkaTopic) {
            return "rules:\n  - name: bench\n    mqtt-topic: devices/{deviceId}/telemetry\n    kafka-topic: "
                    + kafkaTopic + "\n" + yaml;
        }
    }

    static final List<Scenario> ALL = List.of(
            telemetry("telemetry-max-1dev-256B-qos1", 1, 256, 1, 0),
            telemetry("telemetry-max-1000dev-256B-qos1", 1000, 256, 1, 0),
            telemetry("telemetry-max-1000dev-4KB-qos1", 1000, 4096, 1, 0),
            telemetry("telemetry-max-1000dev-256B-qos0", 1000, 256, 0, 0),
            telemetry("telemetry-5000ps-1000dev-256B-qos1", 1000, 256, 1, 5000),
            telemetry("telemetry-1000ps-1000dev-256B-qos1", 1000, 256, 1, 1000),
            commands("commands-5000ps-1000dev-256B-qos1", 5000),
            commands("commands-1000ps-1000dev-256B-qos1", 1000),
            commands("commands-max-1000dev-256B-qos1", 0),
            new Scenario("telemetry-max-1000dev-256B-json", Kind.TELEMETRY, 1000, 256, 1, 0, Rule.JSON, 1, 0),
            new Scenario("telemetry-max-1000dev-256B-jslt", Kind.TELEMETRY, 1000, 256, 1, 0, Rule.JSLT, 1, 0),
            new Scenario("telemetry-max-1000dev-256B-split", Kind.TELEMETRY, 1000, 256, 1, 0, Rule.SPLIT, 1, 0),
            new Scenario(
                    "replicas-1x3shards-max-1000dev-256B-qos1", Kind.TELEMETRY, 1000, 256, 1, 0, Rule.OPAQUE, 1, 3),
            new Scenario(
                    "replicas-3x3shards-max-1000dev-256B-qos1", Kind.TELEMETRY, 1000, 256, 1, 0, Rule.OPAQUE, 3, 3),
            new Scenario("idle-1000dev", Kind.IDLE, 1000, 256, 1, 0, Rule.OPAQUE, 1, 0));

    private static Scenario telemetry(String name, int devices, int size, int qos, int rate) {
        return new Scenario(name, Kind.TELEMETRY, devices, size, qos, rate, Rule.OPAQUE, 1, 0);
    }

    private static Scenario commands(String name, int rate) {
        return new Scenario(name, Kind.COMMANDS, 1000, 256, 1, rate, Rule.OPAQUE, 1, 0);
    }

    Scenario withRate(int newRate) {
        return new Scenario(name, kind, devices, size, qos, newRate, rule, replicas, shards);
    }

    boolean clustered() {
        return shards > 0;
    }

    /** Message {@code seq} of device {@code d}: the numbered body the far end times, JSON for JSON rules. */
    byte[] payload(int device, long seq, long intendedNanos) {
        return rule.json()
                ? Payloads.json(device, seq, intendedNanos, size)
                : Payloads.of(device, seq, intendedNanos, size);
    }
}
