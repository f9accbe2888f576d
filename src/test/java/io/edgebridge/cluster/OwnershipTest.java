package io.edgebridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lease arithmetic and the state of each shard: when this member may connect a shard's session, and when not. */
class OwnershipTest {

    private static final long S = 1_000_000_000L;
    /** Session timeout 15 s: the lease is 10 s. */
    private static final Duration LEASE = Duration.ofSeconds(10);

    @Test
    void aLeaseHoldsForItsLengthAfterTheRequestWasSentNotAfterItsAnswer() {
        Lease lease = new Lease(LEASE);
        assertFalse(lease.valid(0), "never renewed");
        assertNull(lease.age(0));

        lease.renew(100 * S); // the commit was sent at 100 s, its answer came later: the lease counts from 100 s
        assertTrue(lease.valid(100 * S));
        assertTrue(lease.valid(110 * S - 1));
        assertFalse(lease.valid(110 * S));
        assertEquals(Duration.ofSeconds(7), lease.age(107 * S));
    }

    @Test
    void anOlderRenewalNeverShortensANewerOne() {
        Lease lease = new Lease(LEASE);
        lease.renew(50 * S);
        lease.renew(40 * S); // a slow answer to an older request
        assertTrue(lease.valid(59 * S));
        lease.end();
        assertFalse(lease.valid(51 * S), "ended: nothing before counts again");
        lease.renew(60 * S);
        assertTrue(lease.valid(61 * S));
    }

    @Test
    void theLeaseWorksAcrossTheNanoTimeOverflow() {
        Lease lease = new Lease(LEASE);
        long nearMax = Long.MAX_VALUE - 2 * S;
        lease.renew(nearMax);
        assertTrue(lease.valid(nearMax + 5 * S), "nanoTime wrapped past Long.MAX_VALUE");
        assertFalse(lease.valid(nearMax + 11 * S));
    }

    @Test
    void aShardMayBeConnectedOnlyWhileOwnedAndTheLeaseHolds() {
        Ownership ownership = new Ownership(3, LEASE);
        assertFalse(ownership.acquire(1, 0), "no lease yet: an assignment waits for the group's confirmation");
        ownership.renew(0);
        assertTrue(ownership.acquire(1, 1 * S));
        assertFalse(ownership.acquire(1, 1 * S), "already owned");

        assertTrue(ownership.mayConnect(1, 2 * S));
        assertFalse(ownership.mayConnect(0, 2 * S), "not this member's");
        assertFalse(ownership.mayConnect(7, 2 * S), "no such shard");
        assertFalse(ownership.mayConnect(-1, 2 * S));
        assertFalse(ownership.mayConnect(1, 10 * S), "the lease ran out: owned, yet not to be connected");
        ownership.renew(9 * S);
        assertTrue(ownership.mayConnect(1, 10 * S));
    }

    @Test
    void aReleasingShardIsNotReconnectedAndBecomesUnownedOnceReleased() {
        Ownership ownership = owning(0, 2);
        assertTrue(ownership.release(2));
        assertEquals(ShardState.RELEASING, ownership.state(2));
        assertFalse(ownership.mayConnect(2, 1 * S), "a releasing session finishes; it does not come back");
        assertFalse(ownership.release(2));
        assertEquals(List.of(0), ownership.in(ShardState.OWNED));
        assertEquals(List.of(0, 2), ownership.held());

        assertFalse(ownership.released(0), "only a releasing shard is released");
        assertTrue(ownership.released(2));
        assertEquals(ShardState.UNOWNED, ownership.state(2));
        assertEquals(List.of(0), ownership.held());
    }

    @Test
    void aLossTakesOwnedAndReleasingShardsAtOnce() {
        Ownership ownership = owning(0, 1, 2);
        ownership.release(1);
        assertTrue(ownership.lose(0));
        assertTrue(ownership.lose(1), "a release in progress is cut short");
        assertFalse(ownership.lose(0), "already lost: reported once");
        assertEquals(List.of(2), ownership.held());
    }

    @Test
    void aPausedMemberStandsDownTheMomentItWakes() {
        Ownership ownership = owning(0, 1);
        // Renewed at 0, then stopped (SIGSTOP, a long GC) for 20 s, longer than the session timeout (15 s).
        long woke = 20 * S;
        assertFalse(ownership.mayConnect(0, woke), "before any poll has told it that the group moved on");
        assertEquals(List.of(0, 1), ownership.lapsed(woke), "everything held is given up");
        ownership.lose(0);
        ownership.lose(1);
        ownership.endLease();
        assertFalse(ownership.acquire(0, woke), "only a new confirmation brings a shard back");
        ownership.renew(woke + S);
        assertTrue(ownership.acquire(0, woke + S));
        assertTrue(ownership.mayConnect(0, woke + 2 * S));
    }

    @Test
    void nothingLapsesWhileTheLeaseHolds() {
        Ownership ownership = owning(0);
        assertEquals(List.of(), ownership.lapsed(5 * S));
        assertEquals(List.of(0), ownership.lapsed(10 * S));
        assertEquals(Duration.ofSeconds(10), ownership.leaseAge(10 * S));
    }

    private static Ownership owning(int... shards) {
        Ownership ownership = new Ownership(3, LEASE);
        ownership.renew(0);
        for (int shard : shards) {
            assertTrue(ownership.acquire(shard, 0));
        }
        return ownership;
    }
}
