package io.edgebridge.cluster;

import java.util.List;

/**
 * What the MQTT side asks the cluster: how many shards there are, which are this member's, and before each connect
 * whether it may connect. With {@code bridge.cluster.enabled=false} the answer is always the same (shard 0 of 1,
 * owned), so the MQTT side has one code path.
 */
public interface ShardOwnership {

    /** N, from {@code bridge.cluster.shards} (1 when clustering is off). */
    int shards();

    /** This member's name in the group, the coordination records and the logs. */
    String memberId();

    /**
     * Starts taking part; from now on {@code listener} hears of every change. Call once, when the sessions can be
     * opened: a member joins the group only then, so it never holds shards nobody serves.
     */
    void start(ShardListener listener);

    /**
     * Ask before every connect and reconnect of a shard's session: true only while this member owns the shard and has
     * heard from the group within its lease. False: do not connect; ask again on the next attempt.
     */
    boolean mayConnect(int shard);

    /** The shards this member owns now (not those it is releasing), ascending. */
    List<Integer> owned();
}
