package io.edgebridge.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.edgebridge.testkit.RealBrokersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only an explicit bridge.api.auth.enabled=false opens the API (the warning is checked in PackagedBridgeIT). */
@QuarkusTest
@TestProfile(ApiAuthDisabledTest.Open.class)
@QuarkusTestResource(value = RealBrokersResource.class, restrictToAnnotatedClass = true)
class ApiAuthDisabledTest {

    public static class Open implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.api.auth.enabled", "false");
        }
    }

    @Test
    void withAuthOffCommandsNeedNoToken() {
        String correlationId = given().body("on")
                .post("/api/v1/devices/lamp-1/commands/switch")
                .then()
                .statusCode(202)
                .extract()
                .path("correlationId");
        given().get("/api/v1/commands/{id}", correlationId)
                .then()
                .statusCode(200)
                .body("deviceId", equalTo("lamp-1"));
    }
}
