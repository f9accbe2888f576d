package io.edgebridge.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command API wants a valid bearer JWT with the right role; health, metrics and OpenAPI stay open. */
@QuarkusTest
@QuarkusTestResource(value = RealBrokersResource.class, restrictToAnnotatedClass = true)
class ApiAuthTest {

    private static final String SEND = "/api/v1/devices/door-1/commands/open";
    private static final String STATUS = "/api/v1/commands/{id}";
    private static final TestTokens IDP = TestTokens.shared();

    @BeforeEach
    void ready() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void withoutATokenTheApiAnswers401WithABearerChallenge() {
        unauthorized(given().body("x").post(SEND).then(), "unauthorized")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"edge-bridge\""));
        unauthorized(given().get(STATUS, "any").then(), "unauthorized");
        unauthorized(
                given().header("Authorization", "Basic dXNlcjpwYXNz")
                        .body("x")
                        .post(SEND)
                        .then(),
                "unauthorized");
    }

    @Test
    void tokensThatAreMalformedForeignExpiredOrFromAnotherIssuerAre401() {
        TestTokens otherKey =
                TestTokens.in(Path.of("target", "test-tokens-other").toAbsolutePath());
        for (String token : new String[] {
            "not-a-jwt",
            otherKey.token("mallory", ApiRoles.WRITE),
            IDP.sign("late", TestTokens.ISSUER, Duration.ofMinutes(-10), ApiRoles.WRITE),
            IDP.sign("elsewhere", "https://other-idp.example", Duration.ofHours(1), ApiRoles.WRITE),
            tamperedRoles()
        }) {
            unauthorized(
                            given().header("Authorization", "Bearer " + token)
                                    .body("x")
                                    .post(SEND)
                                    .then(),
                            "invalid-token")
                    .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        }
    }

    @Test
    void theWrongRoleIs403AndTheRightOneIsLetThrough() {
        String reader = IDP.bearer("dashboard", ApiRoles.READ);
        String sender = IDP.bearer("backend", ApiRoles.WRITE);
        given().header("Authorization", reader)
                .body("x")
                .post(SEND)
                .then()
                .statusCode(403)
                .contentType(ProblemMapper.PROBLEM_JSON)
                .body("type", equalTo("urn:edge-bridge:problem:forbidden"))
                .body("detail", containsString(ApiRoles.WRITE));
        given().header("Authorization", IDP.bearer("grafana", "telemetry:read"))
                .get(STATUS, "any")
                .then()
                .statusCode(403)
                .contentType(ProblemMapper.PROBLEM_JSON)
                .body("detail", containsString(ApiRoles.READ));
        given().header("Authorization", sender).get(STATUS, "any").then().statusCode(403);
        // A valid token that grants nothing is still a valid token: 403, so a client does not fetch new ones.
        String nobody = IDP.bearer("nobody");
        given().header("Authorization", nobody)
                .body("x")
                .post(SEND)
                .then()
                .statusCode(403)
                .contentType(ProblemMapper.PROBLEM_JSON)
                .body("type", equalTo("urn:edge-bridge:problem:forbidden"));
        given().header("Authorization", nobody).get(STATUS, "any").then().statusCode(403);

        String correlationId = given().header("Authorization", sender)
                .body("{\"open\":true}")
                .post(SEND)
                .then()
                .statusCode(202)
                .body("status", equalTo("accepted"))
                .extract()
                .path("correlationId");
        given().header("Authorization", reader)
                .get(STATUS, correlationId)
                .then()
                .statusCode(200)
                .body("deviceId", equalTo("door-1"));
    }

    @Test
    void authenticationComesBeforeInputChecksSoProbingRevealsNothing() {
        given().urlEncodingEnabled(false)
                .body("x")
                .post("/api/v1/devices/%2B/commands/open")
                .then()
                .statusCode(401);
        given().body(new byte[70_000]).post(SEND).then().statusCode(401);
    }

    @Test
    void healthMetricsAndTheApiDescriptionNeedNoToken() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200);
    }

    private static ValidatableResponse unauthorized(ValidatableResponse response, String type) {
        return response.statusCode(401)
                .contentType(ProblemMapper.PROBLEM_JSON)
                .body("type", equalTo("urn:edge-bridge:problem:" + type))
                .body("status", equalTo(401))
                .body("instance", startsWith("/api/v1/"));
    }

    /** A reader's token whose payload was edited to claim the write role: the signature no longer matches. */
    private static String tamperedRoles() {
        String[] parts = IDP.token("dashboard", ApiRoles.READ).split("\\.");
        Base64.Decoder decoder = Base64.getUrlDecoder();
        String payload =
                new String(decoder.decode(parts[1]), StandardCharsets.UTF_8).replace(ApiRoles.READ, ApiRoles.WRITE);
        return parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }
}
