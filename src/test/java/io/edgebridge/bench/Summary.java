package io.edgebridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * One scenario's result line for a reader: the figures issue 24 asks for, from the JSON line the benchmark writes.
 * The JSON line stays the record; this is what to look at while the run goes on.
 */
final class Summary {

    private Summary() {}

    static String of(JsonNode r) {
        String head = r.path("scenario").asText() + " (round " + r.path("round").asInt() + ", "
                + r.path("bridge_jar").asText() + ")";
        if (r.has("error")) {
            return head + ": failed: " + r.path("error").asText();
        }
        String load = String.format(
                Locale.ROOT,
                "load %.2f -> %.2f",
                r.path("load_avg_1m_before").asDouble(),
                r.path("load_avg_1m_after").asDouble());
        if (r.has("bridge_idle_cpu_pct")) {
            return String.format(
                    Locale.ROOT,
                    "%s: idle, bridge %.2f%% of a core, %.1f context switches/s, RSS %d MB, %s",
                    head,
                    r.path("bridge_idle_cpu_pct").asDouble(),
                    r.path("ctx_switches_per_s").asDouble(),
                    r.path("bridge_peak_rss_mb").asLong(),
                    load);
        }
        JsonNode egress = r.path("broker_egress");
        String replicas = r.path("replicas").asInt(1) > 1 || r.path("shards").asInt() > 0
                ? String.format(
                        Locale.ROOT,
                        ", %d replicas x %d shards, broker egress %.2f publishes/msg",
                        r.path("replicas").asInt(),
                        r.path("shards").asInt(),
                        egress.path("publishes_per_msg").asDouble(-1))
                : "";
        return String.format(
                Locale.ROOT,
                "%s: %.0f msg/s (ceilings %.0f / %.0f), %.1f µs CPU/msg, p50/p99/p999 %.1f/%.1f/%.1f ms"
                        + " (ceilings' p99 %.1f + %.1f ms), %.2f context switches/msg, RSS %d MB, %s,"
                        + " lost/dup/out-of-order %d/%d/%d%s",
                head,
                r.path("throughput_msg_s").asDouble(),
                r.path("mqtt_ceiling").path("throughput_msg_s").asDouble(),
                r.path("kafka_ceiling").path("throughput_msg_s").asDouble(),
                r.path("cpu_us_per_msg").asDouble(),
                r.path("p50_ms").asDouble(),
                r.path("p99_ms").asDouble(),
                r.path("p999_ms").asDouble(),
                r.path("mqtt_ceiling").path("p99_ms").asDouble(),
                r.path("kafka_ceiling").path("p99_ms").asDouble(),
                r.path("ctx_switches_per_msg").asDouble(),
                r.path("bridge_peak_rss_mb").asLong(),
                load,
                r.path("lost").asLong(),
                r.path("duplicates").asLong(),
                r.path("out_of_order").asLong(),
                replicas);
    }
}
