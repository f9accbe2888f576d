package io.edgebridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.mqtt.InboundWindow.Admission;
import io.edgebridge.mqtt.InboundWindow.Answer;
import io.edgebridge.mqtt.InboundWindow.Entry;
import io.edgebridge.mqtt.InboundWindow.State;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rule the telemetry window keeps, without a broker: what the fault tests rely on, one rule at a time. */
class InboundWindowTest {

    private final List<String> acknowledged = new ArrayList<>();

    private InboundWindow<String> window(int maxMessages, long maxBytes) {
        return new InboundWindow<>(maxMessages, maxBytes, 100, acknowledged::add);
    }

    private static List<Entry<String>> emitAll(InboundWindow<String> window) {
        List<Entry<String>> sent = new ArrayList<>();
        for (Entry<String> next = window.emit(); next != null; next = window.emit()) {
            sent.add(next);
        }
        return sent;
    }

    @Test
    void acknowledgementsLeaveInArrivalOrderOnlyAfterKafkaAcknowledged() {
        InboundWindow<String> window = window(10, 10_000);
        for (String m : List.of("a", "b", "c")) {
            assertEquals(Admission.ADMITTED, window.offer(m, 1, 10, false));
        }
        List<Entry<String>> sent = emitAll(window);

        window.answered(sent.get(2), true); // Kafka answers per partition, so out of order
        window.answered(sent.get(1), true);
        assertEquals(List.of(), acknowledged, "nothing before the first message's own Kafka ack");

        window.answered(sent.get(0), true);
        assertEquals(List.of("a", "b", "c"), acknowledged);
        assertEquals(0, window.count());
    }

    @Test
    void messagesKafkaAcknowledgedButWaitingBehindAnEarlierOneStillCount() {
        InboundWindow<String> window = window(3, 10_000);
        window.offer("a", 1, 100, false);
        window.offer("b", 1, 100, false);
        window.offer("c", 1, 100, false);
        List<Entry<String>> sent = emitAll(window);
        window.answered(sent.get(1), true);
        window.answered(sent.get(2), true);

        assertEquals(State.ACKED, sent.get(1).state());
        assertEquals(3, window.count(), "their memory is still held");
        assertEquals(300, window.bytes());
        assertTrue(window.isFull());
        assertEquals(Admission.HELD, window.offer("d", 1, 100, false));
    }

    @Test
    void aMessageLeavesOnlyWhenKafkaAnsweredAndItsAcknowledgementWentOut() {
        InboundWindow<String> window = window(10, 10_000);
        window.offer("a", 1, 10, false);
        assertEquals(1, window.count());
        Entry<String> a = window.emit();
        assertEquals(State.SENT, a.state());
        assertEquals(1, window.count(), "handed to Kafka, not answered");
        window.answered(a, true);
        assertEquals(State.LEFT, a.state());
        assertEquals(List.of("a"), acknowledged);
        assertEquals(0, window.count());
    }

    @Test
    void qos0LeavesWhenKafkaAnswersAndARefusalIsADrop() {
        InboundWindow<String> window = window(10, 10_000);
        window.offer("a", 0, 10, false);
        window.offer("b", 0, 10, false);
        List<Entry<String>> sent = emitAll(window);
        assertEquals(Answer.NOTHING, window.answered(sent.get(0), true));
        assertEquals(Answer.DROPPED_QOS0, window.answered(sent.get(1), false));
        assertEquals(List.of(), acknowledged, "QoS 0 has no acknowledgement");
        assertEquals(0, window.count());
    }

    @Test
    void theWindowIsBoundedInMessagesAndBytesButAnEmptyWindowTakesAnyOneMessage() {
        InboundWindow<String> byCount = window(2, 10_000);
        assertEquals(Admission.ADMITTED, byCount.offer("a", 1, 1, false));
        assertEquals(Admission.ADMITTED, byCount.offer("b", 1, 1, false));
        assertEquals(Admission.HELD, byCount.offer("c", 1, 1, false));

        InboundWindow<String> byBytes = window(100, 1_000);
        assertEquals(Admission.ADMITTED, byBytes.offer("a", 1, 600, false));
        assertEquals(Admission.HELD, byBytes.offer("b", 1, 600, false));

        InboundWindow<String> oversize = window(100, 1_000);
        assertEquals(Admission.ADMITTED, oversize.offer("big", 1, 5_000, false), "none is stuck");
        assertTrue(oversize.isFull());
    }

    @Test
    void heldMessagesWaitInOrderAndAreAdmittedWhenThereIsRoom() {
        InboundWindow<String> window = window(1, 10_000);
        window.offer("a", 1, 10, false);
        assertEquals(Admission.HELD, window.offer("b", 1, 10, false));
        assertEquals(Admission.HELD, window.offer("c", 1, 10, true), "reads paused: what was read waits");
        assertTrue(window.hasHeld());

        window.answered(window.emit(), true);
        window.admitHeld();
        assertEquals("b", window.emit().message);
        assertNull(window.emit(), "c still waits: the window holds one");
        assertTrue(window.hasHeld());
    }

    @Test
    void whatCannotBeHeldIsBeyondTheWindowAndTheSessionIsReopenedOnceEverythingWasAnswered() {
        InboundWindow<String> window = new InboundWindow<>(1, 10_000, 1, acknowledged::add);
        window.offer("a", 1, 10, false);
        window.offer("b", 1, 10, false); // held, but reads could not pause
        assertEquals(Admission.BEYOND, window.offer("c", 1, 10, false), "something is held and reads go on");
        assertTrue(window.isBeyond());
        Entry<String> a = window.emit();
        assertFalse(window.needsReopen(), "Kafka has not answered yet");

        window.answered(a, true);
        window.admitHeld();
        assertNull(window.emit(), "nothing more is admitted once something was beyond the window");
        assertTrue(window.needsReopen());
        assertEquals(List.of("a"), acknowledged);
    }

    @Test
    void aQos0MessageBeyondTheWindowIsDroppedWithoutAReopen() {
        InboundWindow<String> window = new InboundWindow<>(1, 10_000, 0, acknowledged::add);
        window.offer("a", 1, 10, false);
        assertEquals(Admission.BEYOND, window.offer("q0", 0, 10, false));
        assertFalse(window.isBeyond());
    }

    @Test
    void aMessageKafkaRefusedIsNeverAcknowledgedAndBlocksTheOnesAfterItUntilTheSessionIsReopened() {
        InboundWindow<String> window = window(10, 10_000);
        window.offer("a", 1, 10, false);
        window.offer("b", 1, 10, false);
        List<Entry<String>> sent = emitAll(window);
        assertEquals(Answer.REDELIVER, window.answered(sent.get(0), false));
        window.answered(sent.get(1), true);
        assertEquals(List.of(), acknowledged, "b would be acknowledged before a, which the broker must resend");
        assertEquals(2, window.count());

        window.connectionLost();
        assertEquals(0, window.count());
        assertEquals(List.of(), acknowledged);
    }

    @Test
    void aLostConnectionAbandonsWhatKafkaStillHasAndForgetsTheRest() {
        InboundWindow<String> window = window(10, 10_000);
        window.offer("sent", 1, 10, false);
        window.offer("acked-blocked", 1, 10, false);
        List<Entry<String>> sent = emitAll(window);
        window.offer("unsent-qos1", 1, 10, false);
        window.offer("unsent-qos0", 0, 10, false);
        window.answered(sent.get(1), true);

        window.connectionLost();
        assertEquals(State.ABANDONED, sent.get(0).state());
        assertEquals(State.LEFT, sent.get(1).state(), "the broker sends it again: no acknowledgement now");
        assertEquals(2, window.count(), "the abandoned message until Kafka answers, and the QoS 0 one");
        assertEquals(1, window.withKafka());

        assertEquals(Answer.NOTHING, window.answered(sent.get(0), true));
        assertEquals(List.of(), acknowledged, "no acknowledgement on a connection that is gone");
        assertEquals("unsent-qos0", window.emit().message, "nobody would send a QoS 0 message again");
    }

    @Test
    void stoppingForgetsUnsentMessagesButStillReleasesTheOnesKafkaHas() {
        InboundWindow<String> window = window(10, 10_000);
        window.offer("a", 1, 10, false);
        window.offer("b", 1, 10, false);
        Entry<String> a = window.emit();
        window.offer("c", 1, 10, true);

        window.forgetUnsent();
        assertNull(window.emit());
        assertFalse(window.hasHeld());
        assertEquals(1, window.withKafka());
        window.answered(a, true);
        assertEquals(List.of("a"), acknowledged);
        assertEquals(0, window.count());
    }

    @Test
    void readingResumesOnlyWithAQuarterOfTheWindowFreeAndNothingHeld() {
        InboundWindow<String> window = window(8, 1_000_000);
        for (int i = 0; i < 8; i++) {
            window.offer("m" + i, 1, 1, false);
        }
        List<Entry<String>> sent = emitAll(window);
        window.answered(sent.get(0), true);
        assertFalse(window.hasRoomToResume(), "7 of 8");
        window.answered(sent.get(1), true);
        assertTrue(window.hasRoomToResume(), "6 of 8");
        assertEquals(Admission.HELD, window.offer("read-while-paused", 1, 1, true));
        assertFalse(window.hasRoomToResume(), "what was read while paused is admitted first");
    }

    @Test
    void kafkaAnsweringTwiceIsABug() {
        InboundWindow<String> window = window(10, 10_000);
        window.offer("a", 1, 10, false);
        Entry<String> a = window.emit();
        window.answered(a, true);
        assertThrows(IllegalStateException.class, () -> window.answered(a, true));
    }

    @Test
    void recordsBuiltFromAMessageCountInTheWindowAndHoldBackMoreUntilTheyLeave() {
        InboundWindow<String> window = window(10, 1_000);
        window.offer("batch", 1, 100, false);
        window.offer("next", 1, 100, false);
        Entry<String> batch = window.emit();
        window.grow(batch, 1_500); // its transform made 1,500 bytes of records
        assertEquals(1_700, window.bytes());
        assertNull(window.emit(), "over the window's bytes while Kafka holds them: nothing more is handed over");

        window.answered(batch, true);
        assertEquals(100, window.bytes(), "the records left with their message");
        assertEquals("next", window.emit().message);
    }
}
