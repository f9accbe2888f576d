package io.edgebridge.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Child processes: their ids, and stopping them the way an orchestrator does (SIGTERM, a grace period, SIGKILL). */
public final class Processes {

    private Processes() {}

    /** The process's id, -1 when there is none or it has ended. */
    public static long pid(Process process) {
        return process != null && process.isAlive() ? process.pid() : -1;
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
