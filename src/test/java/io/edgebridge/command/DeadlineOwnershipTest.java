package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** Time-outs reported by exactly one replica: the one holding the command's partition, once its view has caught up. */
class DeadlineOwnershipTest {

    @Test
    void aCommandBelongsToThePartitionKafkasProducerWritesItsDeviceTo() {
        for (int partitions : new int[] {1, 3, 4, 8, 12, 64}) {
            for (int i = 0; i < 500; i++) {
                String deviceId = "device-" + i + (i % 7 == 0 ? "-ü" : "");
                assertEquals(
                        BuiltInPartitioner.partitionForKey(deviceId.getBytes(StandardCharsets.UTF_8), partitions),
                        DeadlineOwnership.partitionOf(deviceId, partitions),
                        deviceId + " of " + partitions);
            }
        }
        assertEquals(-1, DeadlineOwnership.partitionOf("d", 0), "the partition count is not known yet");
        assertEquals(-1, DeadlineOwnership.partitionOf(null, 4));
    }

    @Test
    void anAssignedPartitionIsOwnedOnlyOnceTheViewHasCaughtUpWithIt() {
        DeadlineOwnership ownership = new DeadlineOwnership();
        long mark = ownership.assigned(List.of(0, 1));
        assertFalse(ownership.owns(0), "the previous owner's last time-outs may still be on their way to the view");
        assertEquals(List.of(0, 1), ownership.takingOver());
        ownership.caughtUp(mark);
        assertTrue(ownership.owns(0));
        assertTrue(ownership.owns(1));
        assertFalse(ownership.owns(2));
        assertEquals(List.of(0, 1), ownership.owned());
        assertEquals(List.of(), ownership.takingOver());
    }

    @Test
    void aRevokedOrLostPartitionIsNoLongerOwnedNotEvenByAnOldMark() {
        DeadlineOwnership ownership = new DeadlineOwnership();
        ownership.caughtUp(ownership.assigned(List.of(0, 1, 2)));
        ownership.revoked(List.of(1));
        assertEquals(List.of(0, 2), ownership.owned());

        long first = ownership.assigned(List.of(3));
        ownership.revoked(List.of(3)); // moved on before the view caught up
        long second = ownership.assigned(List.of(4));
        ownership.caughtUp(first);
        assertFalse(ownership.owns(3));
        assertFalse(ownership.owns(4), "assigned after the mark reached");
        ownership.caughtUp(second);
        assertTrue(ownership.owns(4));

        long again = ownership.assigned(List.of(3));
        ownership.caughtUp(first);
        assertFalse(ownership.owns(3), "assigned again: it waits for the new mark, not the old one");
        ownership.caughtUp(again);
        assertTrue(ownership.owns(3));
    }

    @Test
    void aLaterMarkCoversTheEarlierOnesAndAPartitionStillOwnedStaysOwned() {
        DeadlineOwnership ownership = new DeadlineOwnership();
        long first = ownership.assigned(List.of(0));
        long second = ownership.assigned(List.of(1));
        ownership.caughtUp(second);
        assertEquals(List.of(0, 1), ownership.owned());
        assertTrue(first < second);
        ownership.assigned(List.of(1, 2)); // no revocation in between: 1 never left
        assertTrue(ownership.owns(1));
        assertEquals(List.of(2), ownership.takingOver());
    }
}
