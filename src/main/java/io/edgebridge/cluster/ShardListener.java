package io.edgebridge.cluster;

import java.util.concurrent.CompletionStage;

/**
 * The port the MQTT side implements: one session per shard this member owns. Called on the cluster thread, one call
 * at a time and in the order of the group's decisions; each call hands its work over and returns at once (only the
 * stage {@link #releasing} returns is waited for).
 */
public interface ShardListener {

    /**
     * The shard is this member's: open its session (asking {@link ShardOwnership#mayConnect} before every connect).
     * The previous owner has disconnected, or was given up for dead by the group.
     */
    void acquired(int shard);

    /**
     * The group takes the shard back: stop taking messages, wait for Kafka to acknowledge what is in the window, send
     * those PUBACKs, disconnect, and complete the stage. The next owner starts only after it completes (or after
     * {@code bridge.telemetry.drain-timeout} plus 2 s, when it is no longer waited for). A shard whose session is
     * already stopped completes at once. {@link #lost} may still follow if this member loses the group meanwhile.
     */
    CompletionStage<Void> releasing(int shard);

    /**
     * The group no longer counts this member (or has not heard from it for longer than its lease): drop the
     * connection at once, acknowledging nothing more; the next owner gets what was not acknowledged.
     */
    void lost(int shard);
}
