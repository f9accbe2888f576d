package io.edgebridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The coordination records: written and read back, anything else on the topic ignored, gaps on broker time. */
class OwnershipRecordTest {

    private static final Instant AT = Instant.parse("2026-12-08T10:15:30.123Z");

    @Test
    void aRecordSurvivesItsWireForm() {
        OwnershipRecord record = new OwnershipRecord(2, OwnershipRecord.Event.RELEASED, "bridge-7c9f-x2", AT);

        assertEquals("2", record.key());
        assertEquals(
                "{\"shard\":2,\"event\":\"released\",\"member\":\"bridge-7c9f-x2\","
                        + "\"at\":\"2026-12-08T10:15:30.123Z\"}",
                record.toJson());
        assertEquals(Optional.of(record), OwnershipRecord.parse(record.toJson()));
    }

    @Test
    void anythingElseOnTheTopicIsIgnoredNeverThrown() {
        for (String junk : new String[] {
            null,
            "",
            "not json",
            "[]",
            "{\"shard\":1}",
            "{\"shard\":\"one\",\"event\":\"released\",\"member\":\"a\",\"at\":\"2026-12-08T10:15:30Z\"}",
            "{\"shard\":1,\"event\":\"stolen\",\"member\":\"a\",\"at\":\"2026-12-08T10:15:30Z\"}",
            "{\"shard\":1,\"event\":\"released\",\"member\":\"a\",\"at\":\"yesterday\"}",
            "{\"shard\":1,\"event\":\"released\",\"member\":7,\"at\":\"2026-12-08T10:15:30Z\"}"
        }) {
            assertEquals(Optional.empty(), OwnershipRecord.parse(junk), String.valueOf(junk));
        }
    }

    @Test
    void theGapIsMeasuredFromThePreviousOwnersLastWord() {
        assertEquals(Duration.ofMillis(7_250), OwnershipRecord.unowned(1_000, 8_250));
        assertEquals(Duration.ZERO, OwnershipRecord.unowned(8_250, 1_000), "clocks disagree: never negative");

        String released = OwnershipRecord.lastWord(
                Optional.of(new OwnershipRecord(0, OwnershipRecord.Event.RELEASED, "pod-a", AT)));
        String crashed = OwnershipRecord.lastWord(
                Optional.of(new OwnershipRecord(0, OwnershipRecord.Event.HEARTBEAT, "pod-a", AT)));
        assertEquals("pod-a released it", released);
        assertTrue(crashed.startsWith("pod-a's last heartbeat"), crashed);
        assertEquals("an unreadable record", OwnershipRecord.lastWord(Optional.empty()));
    }
}
