package io.edgebridge.config;

import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * A configuration file checked for a new version ({@link FileVersion}) every interval, off the event loop, one check
 * at a time: what the rules and the registry reloads share.
 */
public final class FilePoll implements AutoCloseable {

    private final Vertx vertx;
    private final long timer;

    private FilePoll(Vertx vertx, long timer) {
        this.vertx = vertx;
        this.timer = timer;
    }

    /** Runs {@code check} on a worker thread every {@code interval}, never two at once. */
    public static FilePoll every(Vertx vertx, Duration interval, Runnable check) {
        long timer = vertx.setPeriodic(
                interval.toMillis(),
                id -> vertx.executeBlocking(
                        () -> {
                            check.run();
                            return null;
                        },
                        false));
        return new FilePoll(vertx, timer);
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
