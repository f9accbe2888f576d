package io.edgebridge.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.FaultDirs;
import io.edgebridge.testkit.KafkaServerProcess;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.Ports;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A session that stops receiving while its connection looks fine shows in readiness: the broker is frozen
 * (SIGSTOP), so it takes the bridge's probe but delivers nothing, and the TCP connection stays open. Before the
 * keep-alive notices anything, {@code mqtt-delivery} turns DOWN; once the broker runs again, UP.
 */
class DeliveryStallIT {

    @Test
    void aBrokerThatStopsDeliveringTurnsReadinessDownBeforeTheConnectionLooksLost() throws Exception {
        Path dir = FaultDirs.of("delivery-stall");
        try (MosquittoBroker mqtt = MosquittoBroker.start(dir.resolve("mosquitto"), 20);
                KafkaServerProcess kafka = KafkaServerProcess.start(dir.resolve("kafka"))) {
            kafka.createTopics(1, "device-telemetry", "device-telemetry-dlq", "device-command-status");
            Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-stall");
            env.put("BRIDGE_HEALTH_PROBE_INTERVAL", "500ms");
            env.put("BRIDGE_HEALTH_PROBE_TIMEOUT", "3s");
            env.put("BRIDGE_MQTT_KEEP_ALIVE", "120s");
            try (BridgeProcess bridge = BridgeProcess.start(env, dir.resolve("bridge.log"), "-Xmx128m")) {
                assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), bridge.output());
                Ports.sleep(1500);
                assertEquals("UP", check(bridge, "mqtt-delivery").path("status").asText(), "probes come back");
                long pid = mqtt.pid();
                signal("STOP", pid);
                try {
                    JsonNode stalled = awaitCheck(bridge, "mqtt-delivery", "DOWN", Duration.ofSeconds(15));
                    assertTrue(stalled.path("data").has("probeOutSince"), stalled.toString());
                    assertEquals(
                            "UP",
                            check(bridge, "mqtt-broker").path("status").asText(),
                            "the connection itself still looks fine");
                } finally {
                    signal("CONT", pid);
                }
                awaitCheck(bridge, "mqtt-delivery", "UP", Duration.ofSeconds(15));
                assertTrue(bridge.awaitReady(Duration.ofSeconds(15)), "ready again");
                assertTrue(bridge.output().contains("MQTT delivery stalled"), "one line when it turned DOWN");
            }
        }
    }

    private static JsonNode awaitCheck(BridgeProcess bridge, String name, String status, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = check(bridge, name);
            if (status.equals(last.path("status").asText())) {
                return last;
            }
            Ports.sleep(200);
        }
        throw new AssertionError(name + " never " + status + "; last: " + last);
    }

    private static JsonNode check(BridgeProcess bridge, String name) throws Exception {
        HttpResponse<String> ready = bridge.get("/q/health/ready");
        for (JsonNode check : new ObjectMapper().readTree(ready.body()).path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + ready.body());
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
        assertEquals(0, kill.waitFor());
    }
}
