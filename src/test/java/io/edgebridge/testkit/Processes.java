package io.edgebridge.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping child processes the way an orchestrator does: SIGTERM, a grace period, then SIGKILL. */
public final class Processes {

    private Processes() {
    }

    public static void stop(Process process, Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
