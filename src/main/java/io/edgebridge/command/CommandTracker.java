package io.edgebridge.command;

import io.edgebridge.KafkaHeaders;
import io.edgebridge.config.BridgeConfig;
import io.edgebridge.metrics.BridgeMetrics;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * Where each command stands: writes its status events to Kafka, remembers the latest one (bounded by
 * {@code bridge.commands.max-tracked}, oldest forgotten first, a published one counted and logged), wakes REST
 * callers waiting for a response, and reports {@code timed-out} for published commands whose deadline passed
 * without a response.
 *
 * <p>What it remembers is this bridge's own memory: after a restart, time-outs of earlier commands are not
 * reported and {@code GET /api/v1/commands/{id}} no longer knows them; the status topic has the full history.
 */
@ApplicationScoped
public class CommandTracker {

    private static final Logger LOG = Logger.getLogger(CommandTracker.class);

    /**
     * Deadlines looked at per event-loop turn. Commands sent in a burst time out in a burst (5,000/s are 500 per
     * sweep), and writing all of them at once held the event loop for tens of milliseconds, delaying every
     * command and acknowledgement behind it; the rest of a sweep continues on a later turn.
     */
    private static final int SWEEP_BATCH = 128;

    /** What a waiting caller gets: the device's response, or the terminal status that ended the wait. */
    public record Answer(StatusEvent status, byte[] response) {}

    private record Deadline(Instant at, String correlationId) {}

    @Inject
    CommandRecords records;

    @Inject
    BridgeConfig config;

    @Inject
    BridgeMetrics metrics;

    @Inject
    Vertx vertx;

    private final Object lock = new Object();
    private LinkedHashMap<String, StatusEvent> latest;
    private final Map<String, List<CompletableFuture<Answer>>> waiters = new HashMap<>();
    /** The deadlines of the remembered commands that are published and unanswered, and of no others. */
    private final TreeSet<Deadline> deadlines =
            new TreeSet<>(Comparator.comparing(Deadline::at).thenComparing(Deadline::correlationId));

    private long sweepTimer = -1;
    private int maxTracked;
    private boolean forgettingReported;

    void start(@Observes StartupEvent event) {
        maxTracked = config.commands().maxTracked();
        latest = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StatusEvent> eldest) {
                if (size() <= maxTracked) {
                    return false;
                }
                // An accepted one comes back with its next status; a published one would never hear its time-out.
                StatusEvent let = eldest.getValue();
                if (let.status() == CommandStatus.PUBLISHED) {
                    deadlineGone(let);
                    forgotten(let);
                }
                return true;
            }
        };
        metrics.registerCommandSeries(
                Arrays.stream(CommandStatus.values()).map(CommandStatus::code).toList());
        sweepTimer = vertx.setPeriodic(100, id -> sweep());
    }

    @PreDestroy
    void stop() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
    }

    /** Remembers the event, counts it, wakes waiters it ends, and writes it to the status topic. */
    public CompletionStage<Void> emit(StatusEvent event) {
        remember(event, null);
        return write(event);
    }

    private CompletionStage<Void> write(StatusEvent event) {
        metrics.command(event.status().code());
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.CORRELATION_ID, event.correlationId().getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaHeaders.COMMAND_STATUS, event.status().code().getBytes(StandardCharsets.UTF_8));
        return records.write(config.commands().statusTopic(), event.deviceId(), event.toBytes(), headers);
    }

    /** The device answered: wakes its waiters with the response and reports {@code responded}. */
    public CompletionStage<Void> responded(String correlationId, String deviceId, String name, byte[] response) {
        StatusEvent known = latest(correlationId).orElse(null);
        StatusEvent event = StatusEvent.responded(
                correlationId, deviceId, name, known == null ? null : known.expiresAt(), Instant.now());
        remember(event, response);
        return write(event);
    }

    /** Remembers a status without writing it (the REST API's {@code accepted}, which the dispatcher writes). */
    public void remember(StatusEvent event) {
        remember(event, null);
    }

    private void remember(StatusEvent event, byte[] response) {
        List<CompletableFuture<Answer>> woken = null;
        synchronized (lock) {
            StatusEvent previous = latest.get(event.correlationId());
            // A replayed record must not turn a finished command back into a running one.
            if (previous == null
                    || !previous.status().isTerminal()
                    || event.status().isTerminal()) {
                latest.put(event.correlationId(), event);
                if (previous != null) {
                    deadlineGone(previous);
                }
                if (event.status() == CommandStatus.PUBLISHED && event.expiresAt() != null) {
                    deadlines.add(new Deadline(event.expiresAt(), event.correlationId()));
                }
            }
            if (event.status().isTerminal()) {
                woken = waiters.remove(event.correlationId());
            }
        }
        if (woken != null) {
            Answer answer = new Answer(event, response);
            woken.forEach(w -> w.complete(answer));
        }
    }

    /** A command's published state ended (answered, timed out, replaced or forgotten): its deadline goes too. */
    private void deadlineGone(StatusEvent published) {
        if (published.status() == CommandStatus.PUBLISHED && published.expiresAt() != null) {
            deadlines.remove(new Deadline(published.expiresAt(), published.correlationId()));
        }
    }

    /** A published command leaves the bridge's memory: GET no longer knows it and no time-out will be reported. */
    private void forgotten(StatusEvent event) {
        metrics.commandForgotten();
        if (!forgettingReported) {
            forgettingReported = true;
            LOG.warnf(
                    "The bridge remembers bridge.commands.max-tracked=%d commands, and the oldest it let go (%s)"
                            + " was published and unanswered: no timed-out event comes for it and GET no longer"
                            + " knows it. Raise the limit if that is not intended; such commands are counted in"
                            + " edgebridge_commands_forgotten_total.",
                    maxTracked, event.correlationId());
        }
    }

    public Optional<StatusEvent> latest(String correlationId) {
        synchronized (lock) {
            return Optional.ofNullable(latest.get(correlationId));
        }
    }

    /**
     * A future completed by the command's response or terminal status; register before the command is written,
     * so a fast device cannot answer before anyone listens. Empty when too many callers already wait.
     */
    public Optional<CompletableFuture<Answer>> await(String correlationId) {
        CompletableFuture<Answer> waiter = new CompletableFuture<>();
        synchronized (lock) {
            if (waiters.size() >= maxTracked) {
                return Optional.empty();
            }
            waiters.computeIfAbsent(correlationId, k -> new ArrayList<>(1)).add(waiter);
        }
        return Optional.of(waiter);
    }

    /** Stops waiting (the caller gave up). */
    public void cancel(String correlationId, CompletableFuture<Answer> waiter) {
        synchronized (lock) {
            List<CompletableFuture<Answer>> list = waiters.get(correlationId);
            if (list != null && list.remove(waiter) && list.isEmpty()) {
                waiters.remove(correlationId);
            }
        }
    }

    /** Published commands whose deadline passed without a response are reported {@code timed-out}. */
    private void sweep() {
        Instant now = Instant.now();
        List<StatusEvent> timedOut = new ArrayList<>();
        boolean more;
        synchronized (lock) {
            for (int i = 0;
                    i < SWEEP_BATCH
                            && !deadlines.isEmpty()
                            && !deadlines.first().at().isAfter(now);
                    i++) {
                Deadline due = deadlines.pollFirst();
                StatusEvent current = latest.get(due.correlationId());
                if (current != null && current.status() == CommandStatus.PUBLISHED) {
                    timedOut.add(current.timedOut(now));
                }
            }
            more = !deadlines.isEmpty() && !deadlines.first().at().isAfter(now);
        }
        for (StatusEvent event : timedOut) {
            emit(event).whenComplete((v, error) -> {
                if (error != null) {
                    LOG.warnf(
                            "Status %s of command %s not written: %s",
                            event.status().code(), event.correlationId(), error.toString());
                }
            });
        }
        if (more) {
            vertx.runOnContext(v -> sweep()); // after the I/O and tasks already waiting on this loop
        }
    }
}
