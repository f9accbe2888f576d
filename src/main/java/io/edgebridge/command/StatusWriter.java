package io.edgebridge.command;

import io.edgebridge.KafkaHeaders;
import io.edgebridge.config.BridgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes status events to {@code bridge.commands.status-topic}: keyed by device, the event as JSON, its correlation
 * id and status also as headers so consumers can filter without parsing the value.
 */
@ApplicationScoped
public class StatusWriter {

    @Inject
    CommandRecords records;

    @Inject
    BridgeConfig config;

    /** Completes when Kafka has the event. */
    public CompletionStage<Void> write(StatusEvent event) {
        return records.write(config.commands().statusTopic(), event.deviceId(), event.toBytes(), headers(event));
    }

    static Headers headers(StatusEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.CORRELATION_ID, event.correlationId().getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaHeaders.COMMAND_STATUS, event.status().code().getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
