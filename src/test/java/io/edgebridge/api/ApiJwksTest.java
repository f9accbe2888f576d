package io.edgebridge.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import io.edgebridge.testkit.RealBrokersResource;
import io.edgebridge.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * mp.jwt.verify.publickey.location as an identity provider's JWKS URL (Keycloak, Entra ID, Auth0 publish one):
 * the bridge fetches the keys over HTTP and verifies tokens by their key id.
 */
@QuarkusTest
@QuarkusTestResource(value = ApiJwksTest.WithJwks.class, restrictToAnnotatedClass = true)
class ApiJwksTest {

    /** The real brokers, and a JWKS endpoint on a free loopback port instead of the PEM file. */
    public static class WithJwks extends RealBrokersResource {
        /** A system property, not a static field: the resource and the test may see different class loaders. */
        static final String FETCHES = "edgebridge.test.jwks-fetches";

        private final AtomicInteger fetches = new AtomicInteger();
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            byte[] jwks = TestTokens.shared().jwks().getBytes(StandardCharsets.UTF_8);
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/realms/iot/certs", exchange -> {
                System.setProperty(FETCHES, Integer.toString(fetches.incrementAndGet()));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
                exchange.close();
            });
            server.start();
            config.put(
                    "mp.jwt.verify.publickey.location",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/iot/certs");
            return config;
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @Test
    void tokensAreVerifiedWithTheKeysTheJwksUrlPublishes() {
        given().header("Authorization", TestTokens.shared().bearer("dashboard", ApiRoles.READ))
                .get("/api/v1/commands/{id}", "none")
                .then()
                .statusCode(404)
                .body("type", equalTo("urn:edge-bridge:problem:unknown-command"));
        TestTokens stranger =
                TestTokens.in(Path.of("target", "test-tokens-jwks-stranger").toAbsolutePath());
        given().header("Authorization", stranger.bearer("mallory", ApiRoles.READ))
                .get("/api/v1/commands/{id}", "none")
                .then()
                .statusCode(401)
                .body("type", equalTo("urn:edge-bridge:problem:invalid-token"));
        Assertions.assertTrue(Integer.getInteger(WithJwks.FETCHES, 0) > 0, "the keys came from the JWKS URL");
    }
}
