package io.edgebridge.mqtt;

import io.vertx.core.Context;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A Reactive Streams publisher for one subscriber: hands items over as its demand allows, asking {@code next} for
 * each. All of it runs on one Vert.x context; a subscriber's calls from elsewhere are queued to it.
 */
final class MessageStream<T> implements Flow.Publisher<T> {

    private static final Logger LOG = Logger.getLogger(MessageStream.class);

    private final Context context;
    private final Supplier<T> next;
    private final Runnable subscribed;
    private final Runnable cancelled;

    // Confined to the context.
    private Flow.Subscriber<? super T> subscriber;
    private long demand;
    private boolean emitting;

    private volatile Throwable failure;

    /**
     * @param next       the next item to hand over, or null when none is ready
     * @param subscribed runs once the subscriber is in place (the source may start producing)
     * @param cancelled  runs when the subscriber cancels, or breaks the protocol
     */
    MessageStream(Context context, Supplier<T> next, Runnable subscribed, Runnable cancelled) {
        this.context = context;
        this.next = next;
        this.subscribed = subscribed;
        this.cancelled = cancelled;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> s) {
        Backoff.onContext(context, () -> {
            if (subscriber != null) {
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {}
                });
                s.onError(new IllegalStateException("this stream serves one subscriber"));
                return;
            }
            subscriber = s;
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    Backoff.onContext(context, () -> requested(n));
                }

                @Override
                public void cancel() {
                    Backoff.onContext(context, cancelled);
                }
            });
            subscribed.run();
        });
    }

    /** Why the stream failed (liveness reports it), or null. */
    Throwable failure() {
        return failure;
    }

    private void requested(long n) {
        if (n <= 0) {
            failure = new IllegalArgumentException("request(" + n + ") violates Reactive Streams rule 3.9");
            LOG.errorf(failure, "The MQTT telemetry stream failed; liveness reports DOWN");
            cancelled.run();
            subscriber.onError(failure);
            return;
        }
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        emitReady();
    }

    /** Hands over what is ready, as far as demand allows. Call on the context. */
    void emitReady() {
        if (emitting || subscriber == null) {
            return;
        }
        emitting = true; // the subscriber may request more from within onNext
        try {
            while (demand > 0) {
                T item = next.get();
                if (item == null) {
                    break;
                }
                demand--;
                subscriber.onNext(item);
            }
        } finally {
            emitting = false;
        }
    }
}
