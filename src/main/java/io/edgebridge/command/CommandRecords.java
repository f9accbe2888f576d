package io.edgebridge.command;

import io.edgebridge.Channels;
import io.edgebridge.KafkaHeaders;
import io.edgebridge.config.BridgeConfig;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Writes the command side's Kafka records (status events, dead letters, REST submissions) through one idempotent
 * producer; each write completes when Kafka acknowledged it.
 */
@ApplicationScoped
public class CommandRecords {

    @Inject
    BridgeConfig config;

    @Inject
    @Channel(Channels.COMMAND_EVENTS_OUT)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
    Emitter<byte[]> emitter;

    /**
     * Writes a command submitted through the API to the commands topic, where it runs like any other; its content
     * type (null for none) travels as the record's {@code content-type} header.
     */
    public CompletionStage<Void> submit(Command command, String contentType) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.CORRELATION_ID, command.correlationId().getBytes(StandardCharsets.UTF_8));
        if (contentType != null) {
            headers.add(KafkaHeaders.CONTENT_TYPE, contentType.getBytes(StandardCharsets.UTF_8));
        }
        return write(config.commands().topic(), command.deviceId(), CommandJson.write(command), headers);
    }

    public CompletionStage<Void> write(String topic, String key, byte[] value, Headers headers) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(key)
                .withHeaders(headers == null ? new RecordHeaders() : headers)
                .build();
        Message<byte[]> message = Message.of(
                value,
                Metadata.of(metadata),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                error -> {
                    acked.completeExceptionally(error);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) { // buffer full or channel down: the caller decides what this means
            acked.completeExceptionally(e);
        }
        return acked;
    }
}
