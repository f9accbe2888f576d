package io.edgebridge.command;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partitions of the commands topic this replica reports time-outs for, so each time-out is reported once: the
 * partitions the command consumer group gave it, each from the moment its status view has read what the status
 * topic held when the partition came (the previous owner's last time-outs included). A command belongs to the
 * partition Kafka's default partitioner gives its device id, the same on every replica. Pure, not thread-safe.
 */
final class DeadlineOwnership {

    private final Set<Integer> owned = new TreeSet<>();
    private final Map<Integer, Long> takingOver = new HashMap<>();
    private long marks;

    /**
     * The partition of the commands topic, of {@code partitions}, that Kafka's default partitioner gives a record
     * keyed {@code deviceId} (murmur2 of the UTF-8 key); -1 when either is unknown.
     */
    static int partitionOf(String deviceId, int partitions) {
        if (deviceId == null || partitions <= 0) {
            return -1;
        }
        return Utils.toPositive(Utils.murmur2(deviceId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * The group gave this replica {@code partitions}; they are its own once the view has read up to the mark
     * returned ({@link #caughtUp}). One it still owns (no rebalance in between) stays owned.
     */
    long assigned(Collection<Integer> partitions) {
        long mark = ++marks;
        for (int partition : partitions) {
            if (!owned.contains(partition)) {
                takingOver.put(partition, mark);
            }
        }
        return mark;
    }

    /** The group took {@code partitions} away (or they were lost): no more time-outs for them from here. */
    void revoked(Collection<Integer> partitions) {
        for (int partition : partitions) {
            owned.remove(partition);
            takingOver.remove(partition);
        }
    }

    /** The view has read up to {@code mark}: partitions assigned with it or before, and still assigned, are ours. */
    void caughtUp(long mark) {
        for (Iterator<Map.Entry<Integer, Long>> it = takingOver.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Long> partition = it.next();
            if (partition.getValue() <= mark) {
                owned.add(partition.getKey());
                it.remove();
            }
        }
    }

    boolean owns(int partition) {
        return owned.contains(partition);
    }

    /** The partitions whose time-outs this replica reports, in order. */
    List<Integer> owned() {
        return List.copyOf(owned);
    }

    /** Assigned, waiting for the view before their time-outs are reported here. */
    List<Integer> takingOver() {
        return List.copyOf(new TreeSet<>(takingOver.keySet()));
    }
}
