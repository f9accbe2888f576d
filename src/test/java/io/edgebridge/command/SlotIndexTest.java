package io.edgebridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The open-addressing index agrees with a HashMap through any mix of puts and removals, growing included. */
class SlotIndexTest {

    @Test
    void agreesWithAHashMapThroughPutsRemovalsAndGrowth() {
        Random random = new Random(7);
        SlotIndex index = new SlotIndex();
        Map<String, Integer> expected = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // Few distinct keys, many collisions among short ones: removals must shift the probed entries back.
            String key = "c" + random.nextInt(step < 100_000 ? 500 : 5_000);
            if (expected.containsKey(key)) {
                index.remove(key);
                expected.remove(key);
            } else {
                index.put(key, step);
                expected.put(key, step);
            }
            if (step % 997 == 0) {
                expected.forEach((k, slot) -> assertEquals(slot, index.get(k), k));
            }
        }
        assertEquals(expected.size(), index.size());
        expected.forEach((k, slot) -> assertEquals(slot, index.get(k), k));
        assertEquals(-1, index.get("never"));
    }
}
