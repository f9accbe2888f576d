package io.edgebridge.telemetry;

import java.util.concurrent.CompletionStage;

/**
 * The port through which the MQTT session follows a rules reload; the MQTT side implements it, telemetry calls it
 * once per applied reload, after routing switched to the new rules. Without an implementation the session keeps
 * the subscriptions it started with, and the reload says so in its log line.
 */
public interface SubscriptionChanges {

    /**
     * Subscribes the telemetry session to {@link FilterChange#toSubscribe()} and unsubscribes it from
     * {@link FilterChange#toUnsubscribe()} on the open connection, without reconnecting (the in-flight window and
     * its acknowledgement order stay as they are), and subscribes every later connection to
     * {@link FilterChange#after()} (plus what the session adds of its own, such as the delivery probe). Completes
     * when the broker answered; fails naming the filters it refused. With no connection open it completes at
     * once: the next connection subscribes to the new filters.
     */
    CompletionStage<Void> apply(FilterChange change);
}
