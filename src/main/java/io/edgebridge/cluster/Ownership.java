package io.edgebridge.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The state of each shard for this member and the lease that all of them hang on: a shard is this member's to connect
 * only while it is {@link ShardState#OWNED} <em>and</em> the lease holds. Changed by the cluster thread alone; read
 * from any thread. Time is passed in ({@link System#nanoTime()}), so the rules are plain to test.
 */
final class Ownership {

    private final AtomicReferenceArray<ShardState> states;
    private final Lease lease;

    Ownership(int shards, Duration lease) {
        this.states = new AtomicReferenceArray<>(shards);
        for (int shard = 0; shard < shards; shard++) {
            states.set(shard, ShardState.UNOWNED);
        }
        this.lease = new Lease(lease);
    }

    int shards() {
        return states.length();
    }

    ShardState state(int shard) {
        return shard >= 0 && shard < states.length() ? states.get(shard) : ShardState.UNOWNED;
    }

    /** The one question the MQTT side asks before every connect: owned, and the group heard from us recently. */
    boolean mayConnect(int shard, long nowNanos) {
        return state(shard) == ShardState.OWNED && lease.valid(nowNanos);
    }

    /** A request sent at {@code sentAtNanos} proved this member is still in the group. */
    void renew(long sentAtNanos) {
        lease.renew(sentAtNanos);
    }

    boolean leaseValid(long nowNanos) {
        return lease.valid(nowNanos);
    }

    Duration leaseAge(long nowNanos) {
        return lease.age(nowNanos);
    }

    /** UNOWNED -> OWNED, only while the lease holds (an assignment is acted on once the group confirmed it). */
    boolean acquire(int shard, long nowNanos) {
        return lease.valid(nowNanos) && states.compareAndSet(shard, ShardState.UNOWNED, ShardState.OWNED);
    }

    /** OWNED -> RELEASING: the group takes the shard back and the session winds down. */
    boolean release(int shard) {
        return states.compareAndSet(shard, ShardState.OWNED, ShardState.RELEASING);
    }

    /** RELEASING -> UNOWNED: the session is gone; the next owner may start. */
    boolean released(int shard) {
        return states.compareAndSet(shard, ShardState.RELEASING, ShardState.UNOWNED);
    }

    /** OWNED or RELEASING -> UNOWNED at once, without a hand-over: the group no longer counts this member. */
    boolean lose(int shard) {
        ShardState before = states.getAndSet(shard, ShardState.UNOWNED);
        return before != ShardState.UNOWNED;
    }

    /** After a loss the old lease proves nothing: the next acquisition waits for a new confirmation. */
    void endLease() {
        lease.end();
    }

    /** The shards to give up now because the lease ran out: held ones, whatever the group has not said yet. */
    List<Integer> lapsed(long nowNanos) {
        return lease.valid(nowNanos) ? List.of() : held();
    }

    /** Shards in {@code state}, ascending. */
    List<Integer> in(ShardState state) {
        List<Integer> shards = new ArrayList<>();
        for (int shard = 0; shard < states.length(); shard++) {
            if (states.get(shard) == state) {
                shards.add(shard);
            }
        }
        return shards;
    }

    /** OWNED or RELEASING: shards whose session this member still runs. */
    List<Integer> held() {
        List<Integer> shards = new ArrayList<>();
        for (int shard = 0; shard < states.length(); shard++) {
            if (states.get(shard) != ShardState.UNOWNED) {
                shards.add(shard);
            }
        }
        return shards;
    }
}
