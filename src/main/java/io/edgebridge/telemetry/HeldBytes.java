package io.edgebridge.telemetry;

/**
 * Message metadata the MQTT side may attach, so its in-flight window counts what a message really holds: a rule's
 * transform can make records far larger than the payload the window counted on receipt (up to the rule's
 * {@code max-output-bytes}). Telemetry reports them once, on the thread that routes the message, before the
 * records are handed to Kafka; they are held until the message leaves the window. Messages forwarded as received
 * hold only their payload and are never reported.
 */
public interface HeldBytes {

    /** The records built from this message take {@code bytes} (their values), besides its payload. */
    void recordsBuilt(long bytes);
}
