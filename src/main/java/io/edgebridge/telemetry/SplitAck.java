package io.edgebridge.telemetry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one answer a message owes its source when it became several Kafka records: acknowledged once Kafka
 * acknowledged every record, refused (with the first refusal) once every record was answered and any was refused.
 * Waiting for every answer keeps the message counted as with Kafka for as long as any of its records is. Kafka
 * answers on its own threads; the message is settled exactly once, whatever a record's answers.
 */
final class SplitAck {

    private final AtomicIntegerArray answered;
    private final AtomicInteger waiting;
    private final AtomicReference<Throwable> refusal = new AtomicReference<>();
    private final Supplier<CompletionStage<Void>> acknowledge;
    private final Function<Throwable, CompletionStage<Void>> refuse;

    /**
     * @param records how many records the message became (at least one)
     * @param acknowledge settles the message once every record is in Kafka
     * @param refuse settles it once every record was answered and any was refused
     */
    SplitAck(
            int records,
            Supplier<CompletionStage<Void>> acknowledge,
            Function<Throwable, CompletionStage<Void>> refuse) {
        if (records < 1) {
            throw new IllegalArgumentException("a split message has at least one record, not " + records);
        }
        this.answered = new AtomicIntegerArray(records);
        this.waiting = new AtomicInteger(records);
        this.acknowledge = acknowledge;
        this.refuse = refuse;
    }

    /** Kafka acknowledged record {@code index}. */
    CompletionStage<Void> acknowledged(int index) {
        return answer(index, null);
    }

    /** Kafka refused record {@code index}. */
    CompletionStage<Void> refused(int index, Throwable error) {
        return answer(index, error == null ? new IllegalStateException("refused without a reason") : error);
    }

    private CompletionStage<Void> answer(int index, Throwable error) {
        if (!answered.compareAndSet(index, 0, 1)) {
            return CompletableFuture.completedFuture(null); // a second answer for the same record changes nothing
        }
        if (error != null) {
            refusal.compareAndSet(null, error);
        }
        if (waiting.decrementAndGet() > 0) {
            return CompletableFuture.completedFuture(null);
        }
        Throwable first = refusal.get();
        return first == null ? acknowledge.get() : refuse.apply(first);
    }
}
