package io.edgebridge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The line a reader watches: each of issue 24's figures, with the ceilings' p99 beside the bridge's. */
class SummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTrafficScenarioShowsThroughputCostLatencyAndAccounting() throws Exception {
        String line = Summary.of(JSON.readTree("""
                {"scenario":"telemetry-1000ps-1000dev-256B-qos1","round":1,"bridge_jar":"a.jar","replicas":1,
                 "shards":0,"throughput_msg_s":999.6,"cpu_us_per_msg":41.26,"p50_ms":6.5,"p99_ms":13.04,
                 "p999_ms":20.0,"ctx_switches_per_msg":2.345,"bridge_peak_rss_mb":245,"load_avg_1m_before":2.3,
                 "load_avg_1m_after":2.5,"lost":0,"duplicates":1,"out_of_order":2,
                 "mqtt_ceiling":{"throughput_msg_s":1000,"p99_ms":1.94},
                 "kafka_ceiling":{"throughput_msg_s":999.9,"p99_ms":6.8}}
                """));

        assertEquals(
                "telemetry-1000ps-1000dev-256B-qos1 (round 1, a.jar): 1000 msg/s (ceilings 1000 / 1000),"
                        + " 41.3 µs CPU/msg, p50/p99/p999 6.5/13.0/20.0 ms (ceilings' p99 1.9 + 6.8 ms),"
                        + " 2.35 context switches/msg, RSS 245 MB, load 2.30 -> 2.50, lost/dup/out-of-order 0/1/2",
                line);
    }

    @Test
    void replicasShowTheBrokersEgressPerMessage() throws Exception {
        String line = Summary.of(JSON.readTree("""
                {"scenario":"replicas-3x3shards","round":2,"bridge_jar":"a.jar","replicas":3,"shards":3,
                 "broker_egress":{"publishes_per_msg":3.01}}
                """));

        assertEquals(true, line.endsWith(", 3 replicas x 3 shards, broker egress 3.01 publishes/msg"), line);
    }

    @Test
    void theIdleScenarioShowsTheBridgesShareOfACore() throws Exception {
        String line = Summary.of(JSON.readTree("""
                {"scenario":"idle-1000dev","round":1,"bridge_jar":"a.jar","bridge_idle_cpu_pct":1.234,
                 "ctx_switches_per_s":30.0,"bridge_peak_rss_mb":200,"load_avg_1m_before":1,"load_avg_1m_after":1}
                """));

        assertEquals(
                "idle-1000dev (round 1, a.jar): idle, bridge 1.23% of a core, 30.0 context switches/s, RSS 200 MB,"
                        + " load 1.00 -> 1.00",
                line);
    }

    @Test
    void aFailedScenarioSaysWhy() throws Exception {
        String line = Summary.of(JSON.readTree("""
                {"scenario":"replicas-3x3shards","round":1,"bridge_jar":"old.jar","error":"no cluster support"}
                """));

        assertEquals("replicas-3x3shards (round 1, old.jar): failed: no cluster support", line);
    }
}
