package io.edgebridge.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Callers waiting for commands to end, for at most {@code max} commands at once. Thread-safe. */
final class Waiters {

    private final int max;
    private final Map<String, List<CompletableFuture<CommandAnswer>>> waiting = new HashMap<>();

    Waiters(int max) {
        this.max = max;
    }

    /** A future the command's end completes; empty when {@code max} commands are already waited for. */
    synchronized Optional<CompletableFuture<CommandAnswer>> await(String correlationId) {
        if (waiting.size() >= max) {
            return Optional.empty();
        }
        CompletableFuture<CommandAnswer> waiter = new CompletableFuture<>();
        waiting.computeIfAbsent(correlationId, k -> new ArrayList<>(1)).add(waiter);
        return Optional.of(waiter);
    }

    /** The caller gave up. */
    synchronized void cancel(String correlationId, CompletableFuture<CommandAnswer> waiter) {
        List<CompletableFuture<CommandAnswer>> list = waiting.get(correlationId);
        if (list != null && list.remove(waiter) && list.isEmpty()) {
            waiting.remove(correlationId);
        }
    }

    /** The command ended with {@code status}: its waiters get the answer (outside the lock, they may run code). */
    void wake(StatusEvent status, byte[] response) {
        List<CompletableFuture<CommandAnswer>> woken;
        synchronized (this) {
            woken = waiting.remove(status.correlationId());
        }
        if (woken != null) {
            CommandAnswer answer = new CommandAnswer(status, response);
            woken.forEach(w -> w.complete(answer));
        }
    }

    synchronized int commands() {
        return waiting.size();
    }
}
