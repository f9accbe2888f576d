package io.edgebridge.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * One record of the coordination topic (key: the shard number, partition: the shard): what a member did with a
 * shard. {@code at} is the writer's clock, for people; gaps are measured on the record timestamps, which the broker
 * stamps when the topic has {@code message.timestamp.type=LogAppendTime} (as the bridge creates it).
 */
record OwnershipRecord(int shard, Event event, String member, Instant at) {

    enum Event {
        /** The member took the shard over. */
        ACQUIRED,
        /** The member still holds the shard (every {@link ClusterSettings#recordInterval()}). */
        HEARTBEAT,
        /** The member handed the shard back after its session disconnected. */
        RELEASED;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    String key() {
        return Integer.toString(shard);
    }

    String toJson() {
        ObjectNode node = JSON.createObjectNode()
                .put("shard", shard)
                .put("event", event.wire())
                .put("member", member)
                .put("at", at.toString());
        return node.toString();
    }

    /** The record, or empty for anything else found on the topic (never an exception). */
    static Optional<OwnershipRecord> parse(String json) {
        if (json == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null
                    || !node.path("shard").canConvertToInt()
                    || !node.path("member").isTextual()
                    || !node.path("event").isTextual()) {
                return Optional.empty();
            }
            Event event = Event.valueOf(node.path("event").asText().toUpperCase(Locale.ROOT));
            Instant at = Instant.parse(node.path("at").asText());
            return Optional.of(new OwnershipRecord(
                    node.path("shard").asInt(), event, node.path("member").asText(), at));
        } catch (JsonProcessingException | IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** What the previous owner did last, for the line that reports an acquisition: "pod-a released it". */
    static String lastWord(Optional<OwnershipRecord> previous) {
        return previous.map(record -> switch (record.event()) {
                    case RELEASED -> record.member() + " released it";
                    case HEARTBEAT -> record.member() + "'s last heartbeat (it crashed or lost it)";
                    case ACQUIRED -> record.member() + " acquired it (no heartbeat since: it crashed or lost it)";
                })
                .orElse("an unreadable record");
    }

    /** Broker time from the previous owner's last record to this member's acquisition record; never negative. */
    static Duration unowned(long previousTimestampMs, long acquiredTimestampMs) {
        return Duration.ofMillis(Math.max(0, acquiredTimestampMs - previousTimestampMs));
    }
}
