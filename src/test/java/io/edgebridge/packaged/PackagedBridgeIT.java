package io.edgebridge.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgebridge.testkit.BridgeProcess;
import io.edgebridge.testkit.DeviceFleet;
import io.edgebridge.testkit.KafkaBroker;
import io.edgebridge.testkit.MosquittoBroker;
import io.edgebridge.testkit.TelemetryCollector;
import io.edgebridge.testkit.TelemetryCollector.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged application, configured only through its documented env vars, against a Mosquitto (TLS + password)
 * and a Kafka it did not start: nothing lost, every device's order kept, and bad configuration stops startup.
 */
class PackagedBridgeIT {

    static final Path WORK = Path.of("target", "packaged-it").toAbsolutePath();
    static MosquittoBroker mqtt;
    static KafkaBroker kafka;

    @BeforeAll
    static void brokers() {
        mqtt = MosquittoBroker.start(WORK.resolve("mosquitto-" + System.nanoTime()), 100);
        kafka = KafkaBroker.start();
        kafka.createTopics(8, "device-telemetry");
    }

    @AfterAll
    static void stopBrokers() {
        if (mqtt != null) {
            mqtt.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void forwards10000Qos1MessagesFrom100DevicesWithNoneLostAndOrderKeptPerDevice() throws Exception {
        int perDevice = 100;
        List<String> devices = IntStream.range(0, 100).mapToObj(i -> "dev-" + i).toList();
        Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-it");
        try (BridgeProcess bridge = BridgeProcess.start(env, WORK.resolve("bridge-load.log"));
                TelemetryCollector collector =
                        new TelemetryCollector(kafka.bootstrapServers(), false, "device-telemetry")) {
            assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), "bridge ready:\n" + bridge.output());
            long start = System.nanoTime();
            // Devices publish as fast as the broker acknowledges them, each on its own connection.
            try (DeviceFleet fleet = DeviceFleet.start(
                    mqtt,
                    devices,
                    perDevice,
                    1,
                    1_000_000,
                    (device, seq) ->
                            DeviceFleet.Publication.of("devices/" + device + "/telemetry", device + ":" + seq))) {
                fleet.await(120);
            }
            Report report = collector.await(TelemetryCollector.expect(devices, perDevice), Duration.ofSeconds(120));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "packaged bridge: sent=%d received=%d lost=%d duplicates=%d out_of_order=%d" + " seconds=%.1f%n",
                    devices.size() * perDevice,
                    report.received(),
                    report.lost(),
                    report.duplicates(),
                    report.outOfOrder(),
                    seconds);
            assertEquals(0, report.lost(), "lost messages");
            assertEquals(0, report.outOfOrder(), "messages out of order within a device");
            assertTrue(
                    collector.partitionsPerKey().values().stream().allMatch(n -> n == 1),
                    "each device's records are in one partition");
            String metrics = bridge.get("/q/metrics").body();
            assertTrue(
                    metrics.contains("edgebridge_telemetry_forwarded_total{rule=\"device-telemetry\"}"),
                    "forwarded counter served");
        }
    }

    @Test
    void jsonLogsAreOneObjectPerLineAndCarryNoSecret() throws Exception {
        Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-json-logs");
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
        try (BridgeProcess bridge = BridgeProcess.start(env, WORK.resolve("json-logs.log"))) {
            assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), bridge.output());
            ObjectMapper json = new ObjectMapper();
            List<String> lines =
                    bridge.output().lines().filter(l -> !l.isBlank()).toList();
            boolean connected = false;
            for (String line : lines) {
                JsonNode record = json.readTree(line);
                assertTrue(record.has("level") && record.has("message") && record.has("loggerName"), line);
                connected |= record.get("message").asText().startsWith("MQTT connected to");
            }
            assertTrue(connected, "the connection line is there: " + lines);
            assertTrue(!bridge.output().contains(mqtt.password()), "no password in any log line");
        }
    }

    @Test
    void badRulesFileStopsStartupNamingTheFileTheRuleAndTheKey() throws Exception {
        Path rules = Files.createDirectories(WORK).resolve("broken-rules.yaml");
        Files.writeString(rules, """
                rules:
                  - name: broken
                    mqtt-topic: devices/{deviceId}/telemetry/{stream}
                    kafka-topic: telemetry.{streams}
                """);
        Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-bad-rules");
        env.put("BRIDGE_RULES_FILE", rules.toString());
        String output = failedStartup(env, "bad-rules.log");
        assertTrue(output.contains("bridge.rules-file"), output);
        assertTrue(output.contains("rules[0] 'broken': 'kafka-topic'"), output);
        assertTrue(output.contains("{streams}"), output);
    }

    @Test
    void invalidSettingsStopStartupNamingTheKey() {
        Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-bad-port");
        env.put("BRIDGE_MQTT_PORT", "70000");
        assertTrue(failedStartup(env, "bad-port.log").contains("bridge.mqtt.port must be 1-65535"));

        env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-bad-policy");
        env.put("BRIDGE_TELEMETRY_UNKNOWN_DEVICES", "maybe");
        assertTrue(failedStartup(env, "bad-policy.log").contains("bridge.telemetry.unknown-devices"));

        env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-bad-ca");
        env.put("BRIDGE_MQTT_TLS_CA_FILE", "/nonexistent/ca.pem");
        String output = failedStartup(env, "bad-ca.log");
        assertTrue(output.contains("bridge.mqtt.tls.ca-file file /nonexistent/ca.pem does not exist"), output);
    }

    @Test
    void anApiWithoutATokenKeyStopsStartupUnlessAuthIsExplicitlyOff() {
        Map<String, String> env = BridgeProcess.environment(mqtt, kafka.bootstrapServers(), "edge-bridge-no-key");
        env.remove("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        String output = failedStartup(env, "no-key.log");
        assertTrue(output.contains("mp.jwt.verify.publickey.location is not set"), output);

        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "/nonexistent/jwt.pem");
        output = failedStartup(env, "missing-key.log");
        assertTrue(
                output.contains("mp.jwt.verify.publickey.location file /nonexistent/jwt.pem does not exist"), output);

        env.remove("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        env.put("BRIDGE_API_AUTH_ENABLED", "false");
        try (BridgeProcess bridge = BridgeProcess.start(env, WORK.resolve("auth-off.log"))) {
            assertTrue(bridge.awaitReady(Duration.ofSeconds(60)), bridge.output());
            assertTrue(
                    bridge.output().contains("accepts requests without authentication (bridge.api.auth.enabled=false)"),
                    bridge.output());
            assertEquals(404, bridge.get("/api/v1/commands/unknown").statusCode(), "no token needed");
        }
    }

    private static String failedStartup(Map<String, String> env, String log) {
        BridgeProcess bridge = BridgeProcess.start(env, WORK.resolve(log));
        try {
            Integer exit = bridge.awaitExit(Duration.ofSeconds(60));
            assertNotNull(exit, "the bridge must stop by itself:\n" + bridge.output());
            assertTrue(exit != 0, "non-zero exit code");
            return bridge.output();
        } finally {
            bridge.close();
        }
    }
}
