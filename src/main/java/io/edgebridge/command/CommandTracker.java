package io.edgebridge.command;

import io.edgebridge.config.BridgeConfig;
import io.edgebridge.metrics.CommandMetrics;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Where each command stands: remembers its latest status ({@link StatusMemory}, bounded by
 * {@code bridge.commands.max-tracked}), writes it to the status topic ({@link StatusWriter}), wakes REST callers
 * waiting for it ({@link Waiters}), and every 100 ms reports {@code timed-out} for published commands whose deadline
 * passed without a response, of the partitions of the commands topic this replica owns ({@link DeadlineOwnership},
 * told by {@link DeadlineHandover}). A published command let go beyond the bound is counted and the first one logged.
 *
 * <p>It also remembers what the other replicas write, and what was written before it started, as its
 * {@link StatusView} reads it from the status topic; so GET answers on every replica and after a restart.
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

    /**
     * How long a replica giving partitions up waits for its time-outs being written, so the next owner's view reads
     * them before it takes over; the group's rebalance waits as long. One slower than this may be reported twice.
     */
    private static final Duration HANDOVER_WAIT = Duration.ofSeconds(5);

    @Inject
    StatusWriter writer;

    @Inject
    BridgeConfig config;

    @Inject
    CommandMetrics metrics;

    @Inject
    Vertx vertx;

    private final Object lock = new Object();
    private final AtomicBoolean forgettingReported = new AtomicBoolean();
    private StatusMemory memory; // guarded by lock
    private final DeadlineOwnership ownership = new DeadlineOwnership(); // guarded by lock
    private int timeOutsWriting; // guarded by lock
    private Waiters waiters;
    private int maxTracked;
    private long sweepTimer = -1;

    @PostConstruct
    void init() {
        maxTracked = config.commands().maxTracked();
        memory = new StatusMemory(maxTracked);
        waiters = new Waiters(maxTracked);
    }

    void start(@Observes StartupEvent event) {
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

    /** The device answered: wakes its waiters with the response and reports {@code responded}. */
    public CompletionStage<Void> responded(String correlationId, String deviceId, String name, byte[] response) {
        Instant expiresAt = latest(correlationId).map(StatusEvent::expiresAt).orElse(null);
        StatusEvent event = StatusEvent.responded(correlationId, deviceId, name, expiresAt, Instant.now());
        remember(event, response);
        return write(event);
    }

    /**
     * What the status view read: other replicas' status events (and this one's from before its start) are remembered
     * like its own; an ending other than a response wakes waiters here, and so does a response record, whichever
     * replica forwarded it, with the device's answer. Called on the view's thread, a poll's records at a time.
     */
    void applyFromView(List<ViewRecord> records) {
        List<StatusEvent> letGo = new ArrayList<>();
        List<CommandAnswer> answers = new ArrayList<>();
        int applied = 0;
        synchronized (lock) {
            for (ViewRecord record : records) {
                if (record instanceof ViewRecord.Status status) {
                    applied++;
                    StatusEvent event = status.event();
                    StatusMemory.Change change = memory.remember(event);
                    if (change.forgotPublished()) {
                        letGo.add(change.letGo());
                    }
                    // A response wakes them with its record, which carries what the device said.
                    if (event.status().isTerminal() && event.status() != CommandStatus.RESPONDED) {
                        answers.add(new CommandAnswer(event, null));
                    }
                } else if (record instanceof ViewRecord.Response response) {
                    Instant expiresAt = memory.latest(response.correlationId())
                            .map(StatusEvent::expiresAt)
                            .orElse(null);
                    StatusEvent responded = StatusEvent.responded(
                            response.correlationId(), response.deviceId(), response.name(), expiresAt, response.at());
                    answers.add(new CommandAnswer(responded, response.body()));
                }
            }
        }
        letGo.forEach(this::forgotten);
        answers.forEach(answer -> waiters.wake(answer.status(), answer.response()));
        metrics.commandsViewApplied(applied);
    }

    /**
     * The command consumer got {@code partitions} of the commands topic, which has {@code count}; returns the mark
     * to pass to {@link #caughtUp} once the status view has read what the status topic holds now.
     */
    long assigned(Collection<Integer> partitions, int count) {
        synchronized (lock) {
            memory.partitions(count);
            return ownership.assigned(partitions);
        }
    }

    /** The status view has read up to {@code mark}: from now on this replica reports those partitions' time-outs. */
    void caughtUp(long mark) {
        synchronized (lock) {
            ownership.caughtUp(mark);
        }
    }

    /**
     * The consumer gave {@code partitions} up: no more time-outs for them from here. When {@code handingOver} (a
     * rebalance, not a loss), waits up to {@link #HANDOVER_WAIT} for the time-outs being written to reach Kafka.
     */
    void revoked(Collection<Integer> partitions, boolean handingOver) {
        synchronized (lock) {
            ownership.revoked(partitions);
            long until = System.nanoTime() + HANDOVER_WAIT.toNanos();
            try {
                for (long left = HANDOVER_WAIT.toMillis(); handingOver && timeOutsWriting > 0 && left > 0; ) {
                    lock.wait(left);
                    left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (handingOver && timeOutsWriting > 0) {
                LOG.warnf(
                        "Partitions %s handed over while %d time-outs were still being written; the next owner may"
                                + " report them again",
                        partitions, timeOutsWriting);
            }
        }
    }

    /** The partitions of the commands topic whose time-outs this replica reports, and those it is taking over. */
    List<List<Integer>> timeOutPartitions() {
        synchronized (lock) {
            return List.of(ownership.owned(), ownership.takingOver());
        }
    }

    /** Remembers a status without writing it (the REST API's {@code accepted}, which the dispatcher writes). */
    public void remember(StatusEvent event) {
        remember(event, null);
    }

    public Optional<StatusEvent> latest(String correlationId) {
        synchronized (lock) {
            return memory.latest(correlationId);
        }
    }

    /**
     * A future completed by the command's response or terminal status; register before the command is written,
     * so a fast device cannot answer before anyone listens. Empty when too many callers already wait.
     */
    public Optional<CompletableFuture<CommandAnswer>> await(String correlationId) {
        return waiters.await(correlationId);
    }

    /** Stops waiting (the caller gave up). */
    public void cancel(String correlationId, CompletableFuture<CommandAnswer> waiter) {
        waiters.cancel(correlationId, waiter);
    }

    private CompletionStage<Void> write(StatusEvent event) {
        metrics.command(event.status().code());
        return writer.write(event);
    }

    private void remember(StatusEvent event, byte[] response) {
        StatusMemory.Change change;
        synchronized (lock) {
            change = memory.remember(event);
        }
        if (change.forgotPublished()) {
            forgotten(change.letGo());
        }
        if (event.status().isTerminal()) {
            waiters.wake(event, response);
        }
    }

    /** A published command left the bridge's memory: GET no longer knows it and no time-out will be reported. */
    private void forgotten(StatusEvent event) {
        metrics.commandForgotten();
        if (forgettingReported.compareAndSet(false, true)) {
            LOG.warnf(
                    "The bridge remembers bridge.commands.max-tracked=%d commands, and the oldest it let go (%s)"
                            + " was published and unanswered: no timed-out event comes for it from this replica and"
                            + " GET here no longer knows it. Raise the limit if that is not intended; such commands"
                            + " are counted in edgebridge_commands_forgotten_total.",
                    maxTracked, event.correlationId());
        }
    }

    /** Published commands of owned partitions whose deadline passed without a response are reported timed out. */
    private void sweep() {
        Instant now = Instant.now();
        List<StatusEvent> due;
        boolean more;
        synchronized (lock) {
            due = memory.due(now, SWEEP_BATCH, ownership::owns);
            more = memory.hasDue(now, ownership::owns);
            timeOutsWriting += due.size(); // decided while owned: a hand-over waits for them
        }
        for (StatusEvent published : due) {
            StatusEvent event = published.timedOut(now);
            emit(event).whenComplete((v, error) -> {
                if (error != null) {
                    LOG.warnf(
                            "Status %s of command %s not written: %s",
                            event.status().code(), event.correlationId(), error.toString());
                }
                synchronized (lock) {
                    timeOutsWriting--;
                    lock.notifyAll();
                }
            });
        }
        if (more) {
            vertx.runOnContext(v -> sweep()); // after the I/O and tasks already waiting on this loop
        }
    }
}
