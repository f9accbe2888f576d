package io.edgebridge.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The shards this replica owns, written by the cluster side on each change and read by readiness and metrics. A
 * replica that owns none is still ready: it serves the command API and takes part in the command consumer group.
 */
@ApplicationScoped
public class OwnedShards {

    private volatile boolean clustered;
    private volatile String member = "";
    private volatile int shards = 1;
    private volatile List<Integer> owned = List.of();
    private volatile List<Integer> releasing = List.of();

    /** Called once before the first change: whether a group decides, this member's name, N. */
    public void describe(boolean nowClustered, String memberId, int shardCount) {
        clustered = nowClustered;
        member = memberId;
        shards = shardCount;
    }

    public void update(List<Integer> nowOwned, List<Integer> nowReleasing) {
        owned = List.copyOf(nowOwned);
        releasing = List.copyOf(nowReleasing);
    }

    public boolean clustered() {
        return clustered;
    }

    public String member() {
        return member;
    }

    public int shards() {
        return shards;
    }

    public List<Integer> owned() {
        return owned;
    }

    public List<Integer> releasing() {
        return releasing;
    }
}
