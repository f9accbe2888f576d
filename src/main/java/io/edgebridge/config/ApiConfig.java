package io.edgebridge.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The REST API. */
public interface ApiConfig {
    /** Upper bound of the {@code wait} query parameter. */
    @WithDefault("30s")
    Duration maxWait();

    /** How long a REST command may wait for Kafka's acknowledgement before the answer is 503. */
    @WithDefault("10s")
    Duration kafkaWriteTimeout();

    Auth auth();

    RateLimit rateLimit();

    interface Auth {
        /**
         * Bearer JWTs with role {@code commands:write} (send) or {@code commands:read} (status) on /api/v1,
         * verified with the standard {@code mp.jwt.verify.*} keys. {@code false} only for local demos.
         */
        @WithDefault("true")
        boolean enabled();
    }

    /** Per client: the token's subject, or the remote address when auth is off. */
    interface RateLimit {
        /** Sustained requests per second per client; 0: no limit. */
        @WithDefault("0")
        double requestsPerSecond();

        /** Requests a client may make at once before the sustained rate applies. */
        @WithDefault("20")
        int burst();

        /** Clients tracked at once; the least recently seen is forgotten first. */
        @WithDefault("10000")
        int maxClients();
    }
}
