package io.edgebridge.command;

import io.edgebridge.KafkaHeaders;
import io.edgebridge.config.BridgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes status events to {@code bridge.commands.status-topic}: keyed by device, the event as JSON, its correlation
 * id and status also as headers so consumers can filter without parsing the value, and the name of this replica, so
 * its own status view knows what it already remembers.
 */
@ApplicationScoped
public class StatusWriter {

    @Inject
    CommandRecords records;

    @Inject
    BridgeConfig config;

    private final String replica = replicaName(System.getenv("HOSTNAME"));

    /** Completes when Kafka has the event. */
    public CompletionStage<Void> write(StatusEvent event) {
        return records.write(
                config.commands().statusTopic(), event.deviceId(), event.toBytes(), headers(event, replica));
    }

    /** This replica's name in the {@link KafkaHeaders#REPLICA} header of what it writes. */
    public String replica() {
        return replica;
    }

    static Headers headers(StatusEvent event, String replica) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.CORRELATION_ID, event.correlationId().getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaHeaders.COMMAND_STATUS, event.status().code().getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaHeaders.REPLICA, replica.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /**
     * The host (a pod's name) for operators, and a suffix new at each start: a restarted pod keeps its name in a
     * StatefulSet, and its view must read what it wrote before the restart like anyone else's.
     */
    static String replicaName(String host) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return (host == null || host.isBlank() ? "edge-bridge" : host.strip()) + "-" + suffix;
    }
}
