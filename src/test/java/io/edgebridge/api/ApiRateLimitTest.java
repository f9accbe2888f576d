package io.edgebridge.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bridge.api.rate-limit: a client past its burst gets 429 with Retry-After; other clients are not affected. */
@QuarkusTest
@TestProfile(ApiRateLimitTest.Limited.class)
@QuarkusTestResource(value = RealBrokersResource.class, restrictToAnnotatedClass = true)
class ApiRateLimitTest {

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bridge.api.rate-limit.requests-per-second", "0.01", "bridge.api.rate-limit.burst", "3");
        }
    }

    /** One request per 100 s after a burst of 3: slow as this machine may be, the 4th comes too early. */
    @Test
    void aClientOverItsRateGets429WithRetryAfterWhileOthersGoOn() {
        String busy = TestTokens.shared().bearer("busy-script", ApiRoles.READ);
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", busy)
                    .get("/api/v1/commands/none")
                    .then()
                    .statusCode(404);
        }
        given().header("Authorization", busy)
                .get("/api/v1/commands/none")
                .then()
                .statusCode(429)
                .contentType(ProblemMapper.PROBLEM_JSON)
                .header("Retry-After", matchesPattern("[1-9][0-9]?|100"))
                .body("type", equalTo("urn:edge-bridge:problem:rate-limited"))
                .body("detail", containsString("bridge.api.rate-limit"));
        given().header("Authorization", TestTokens.shared().bearer("other-client", ApiRoles.READ))
                .get("/api/v1/commands/none")
                .then()
                .statusCode(404);
    }
}
