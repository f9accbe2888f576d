package io.edgebridge.api;

import io.edgebridge.config.ApiConfig;
import io.edgebridge.config.BridgeConfig;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;

/** {@code bridge.api.rate-limit.*}: a client over its rate gets 429 with {@code Retry-After}. */
@ApplicationScoped
public class ApiRateLimit {

    private final Optional<RateLimiter> limiter;
    private final boolean authenticated;

    @Inject
    public ApiRateLimit(BridgeConfig config) {
        ApiConfig.RateLimit limit = config.api().rateLimit();
        this.limiter = limit.requestsPerSecond() > 0
                ? Optional.of(
                        new RateLimiter(limit.requestsPerSecond(), limit.burst(), limit.maxClients(), System::nanoTime))
                : Optional.empty();
        this.authenticated = config.api().auth().enabled();
    }

    /** Called after authorization, so with auth on the identity is already known. */
    void check(SecurityIdentity identity, HttpServerRequest request) {
        if (limiter.isEmpty()) {
            return;
        }
        String client = authenticated && !identity.isAnonymous()
                ? "subject:" + identity.getPrincipal().getName()
                : "address:"
                        + (request.remoteAddress() == null
                                ? "unknown"
                                : request.remoteAddress().hostAddress());
        long retryAfter = limiter.get().tryAcquire(client);
        if (retryAfter > 0) {
            throw new ApiProblem(
                            429,
                            "rate-limited",
                            "Too Many Requests",
                            "this client sent more requests than" + " bridge.api.rate-limit allows; retry after "
                                    + retryAfter + " s",
                            Map.of())
                    .header("Retry-After", Long.toString(retryAfter));
        }
    }
}
