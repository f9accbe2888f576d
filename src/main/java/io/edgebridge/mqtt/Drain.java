package io.edgebridge.mqtt;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * A telemetry session's stop that first lets Kafka answer for what the stream took: what was not yet handed to the
 * stream is forgotten (never acknowledged, so the broker keeps it for the next session); once Kafka answered for the
 * rest, or the timeout passed, the session stops. Confined to the session's context.
 */
final class Drain {

    private final Vertx vertx;
    private final Context context;
    private final InboundWindow<?> window;
    private final Logger log;
    private final Runnable stop;
    private CompletableFuture<Void> stopped;

    /**
     * @param log the session's
     * @param stop stops the session
     */
    Drain(Vertx vertx, Context context, InboundWindow<?> window, Logger log, Runnable stop) {
        this.vertx = vertx;
        this.context = context;
        this.window = window;
        this.log = log;
        this.stop = stop;
    }

    /** Starts draining; {@code done} completes once the session stopped. */
    void start(CompletableFuture<Void> done, Duration timeout) {
        stopped = done;
        window.forgetUnsent();
        log.infof(
                "Draining %d in-flight telemetry messages before disconnecting (at most %s)",
                window.withKafka(), timeout);
        vertx.setTimer(Math.max(1, timeout.toMillis()), id -> finish(true));
        finish(false);
    }

    /** Kafka answered for a message: the session stops once nothing waits for Kafka. */
    void answered() {
        finish(false);
    }

    private void finish(boolean timedOut) {
        if (stopped == null || (!timedOut && window.withKafka() > 0)) {
            return;
        }
        CompletableFuture<Void> done = stopped;
        stopped = null;
        if (window.withKafka() > 0) {
            log.warnf(
                    "Drain timed out with %d messages still waiting for Kafka; the broker redelivers them",
                    window.withKafka());
        }
        stop.run();
        Backoff.onContext(context, () -> done.complete(null));
    }
}
