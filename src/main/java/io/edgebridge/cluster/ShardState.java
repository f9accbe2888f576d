package io.edgebridge.cluster;

/** Where one shard stands for this member. */
public enum ShardState {
    /** Another member's, or nobody's: this member must not connect its session. */
    UNOWNED,
    /** This member's: it runs the shard's session and may (re)connect it while its lease holds. */
    OWNED,
    /** Being handed back: the session takes no more messages, finishes what it holds, then disconnects. */
    RELEASING
}
