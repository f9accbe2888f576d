package io.edgebridge.telemetry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.SharedBrokers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A bridge with the wrong MQTT password is not ready, says why once, and never prints a password. */
@QuarkusTest
@TestProfile(WrongCredentialsTest.WrongPassword.class)
class WrongCredentialsTest {

    static final String WRONG_PASSWORD = "not-the-password-4711";
    static final Path LOG = Path.of("target", "logs", "wrong-credentials.log").toAbsolutePath();

    public static class WrongPassword implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    RealBrokersResource.class,
                    Map.of(
                            "bridge.mqtt.password",
                            WRONG_PASSWORD,
                            "bridge.mqtt.client-id",
                            "edge-bridge-wrong-credentials")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString());
        }
    }

    @Test
    void readinessStaysDownWithTheReasonAndTheLogSaysItOnceWithoutSecrets() throws Exception {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().get("/q/health/ready")
                        .then()
                        .statusCode(503)
                        .body("checks.find { it.name == 'kafka-broker' }.status", equalTo("UP"))
                        .body("checks.find { it.name == 'mqtt-broker' }.status", equalTo("DOWN"))
                        .body(
                                "checks.find { it.name == 'mqtt-broker' }.data.lastError",
                                containsString("not authorized (check bridge.mqtt.username, bridge.mqtt.password")));
        given().get("/q/health/live").then().statusCode(200);
        Thread.sleep(3000); // several reconnect attempts happen meanwhile
        String log = Files.readString(LOG);
        List<String> lines =
                log.lines().filter(l -> l.contains("MQTT connection to")).toList();
        assertTrue(lines.size() == 1, "one line per state change, not per retry: " + lines);
        assertTrue(lines.get(0).contains("broker refused the connection: not authorized"), lines.get(0));
        assertFalse(log.contains(WRONG_PASSWORD), "the configured password never reaches a log");
        assertFalse(log.contains(SharedBrokers.mqtt().password()), "no password at all reaches a log");
        String health = given().get("/q/health/ready").then().extract().asString();
        assertFalse(health.contains(WRONG_PASSWORD), "nor a health response");
    }
}
