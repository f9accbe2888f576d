package io.edgebridge.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * With the management interface on (a build-time switch), health and metrics move to their own port and the
 * application port serves only the API: what a NetworkPolicy or a ServiceMonitor in Kubernetes wants.
 */
@QuarkusTest
@TestProfile(ManagementPortTest.ManagementInterface.class)
class ManagementPortTest {

    @TestHTTPResource(value = "/", management = true)
    URL managementRoot;

    public static class ManagementInterface implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    RealBrokersResource.class, Map.of("bridge.mqtt.client-id", "edge-bridge-management")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.management.enabled", "true", "quarkus.management.test-port", "0");
        }
    }

    @Test
    void healthAndMetricsAreServedOnTheManagementPortOnly() {
        String management = "http://" + managementRoot.getHost() + ":" + managementRoot.getPort();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get(management + "/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("checks.find { it.name == 'mqtt-broker' }.status", equalTo("UP"))
                        .body("checks.find { it.name == 'telemetry-window' }.status", equalTo("UP")));
        given().get(management + "/q/health/live").then().statusCode(200);
        given().get(management + "/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("edgebridge_telemetry_received_total"));
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
        given().header("Authorization", TestTokens.shared().bearer("test-operator", "commands:read"))
                .get("/api/v1/commands/unknown-id")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
