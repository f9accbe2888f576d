package io.edgebridge.command;

import io.edgebridge.Channels;
import io.edgebridge.KafkaHeaders;
import io.edgebridge.config.BridgeConfig;
import io.edgebridge.metrics.CommandMetrics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Kafka -> MQTT. Each command record is checked, published to its device's topic and acknowledged to Kafka (its
 * offset committed) only when it is finished: the broker acknowledged the publish and the status event is written,
 * or it ended as expired or rejected (then with a status event, and a dead letter for a rejected record).
 *
 * <p>Up to {@code bridge.commands.max-in-flight} commands are in progress at once; the Kafka stream waits while
 * the window is full. Offsets are committed in order, so a crash replays only unfinished commands.
 */
@ApplicationScoped
public class CommandDispatcher {

    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class);

    @Inject
    CommandPublisher publisher;

    @Inject
    CommandTracker tracker;

    @Inject
    CommandRecords records;

    @Inject
    BridgeConfig config;

    @Inject
    CommandMetrics metrics;

    @Inject
    CommandParser parser;

    @Inject
    CommandTopics topics;

    private int maxInFlight;
    private Set<String> forwardHeaders;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object gateLock = new Object();
    private CompletableFuture<Void> gate;

    @PostConstruct
    void init() {
        maxInFlight = config.commands().maxInFlight();
        forwardHeaders = Set.copyOf(config.commands().forwardHeaders().orElse(List.of()));
    }

    void registerGauge(@Observes StartupEvent event) {
        metrics.commandsInFlightGauge(inFlight::get);
    }

    /** Starts the command and returns at once, unless the window is full: then when a command has finished. */
    @Incoming(Channels.COMMANDS_IN)
    public CompletionStage<Void> dispatch(Message<byte[]> record) {
        IncomingKafkaRecordMetadata<?, ?> kafka =
                record.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
        inFlight.incrementAndGet();
        CompletionStage<Void> finished;
        try {
            finished = execute(kafka, record.getPayload());
        } catch (RuntimeException e) {
            LOG.errorf(
                    e,
                    "Command record %s-%d@%d could not be processed; it is dead-lettered",
                    kafka.getTopic(),
                    kafka.getPartition(),
                    kafka.getOffset());
            finished = refuse(
                    kafka,
                    record.getPayload(),
                    new CommandCheck.Refused(
                            CommandRejection.PROCESSING_ERROR, e.toString(), fallbackCorrelationId(kafka), null, null));
        }
        finished.whenComplete((v, error) -> {
            if (error == null) {
                record.ack();
            } else {
                // Not acknowledged: the offset stays uncommitted and the command runs again after a restart.
                LOG.warnf(
                        "Command record %s-%d@%d not finished: %s",
                        kafka.getTopic(), kafka.getPartition(), kafka.getOffset(), error.toString());
            }
            leave();
        });
        return enter();
    }

    private CompletionStage<Void> execute(IncomingKafkaRecordMetadata<?, ?> kafka, byte[] value) {
        Object key = kafka.getKey();
        Instant recordTime = kafka.getTimestamp();
        CommandCheck result =
                parser.parse(key == null ? null : key.toString(), value, recordTime, fallbackCorrelationId(kafka));
        if (result instanceof CommandCheck.Refused refused) {
            return refuse(kafka, value, refused);
        }
        Command command = ((CommandCheck.Passed) result).command();
        if (command.isExpired(Instant.now())) {
            return tracker.emit(StatusEvent.expired(command, "expired before the bridge read it", Instant.now()));
        }
        tracker.emit(StatusEvent.accepted(command, Instant.now()));
        return publisher.publish(publication(command, kafka)).thenCompose(outcome -> {
            Instant now = Instant.now();
            return switch (outcome.result()) {
                case EXPIRED ->
                    tracker.emit(StatusEvent.expired(command, "expired before the MQTT broker could take it", now));
                case REFUSED ->
                    refuse(
                            kafka,
                            value,
                            new CommandCheck.Refused(
                                    CommandRejection.REFUSED_BY_BROKER,
                                    outcome.detail(),
                                    command.correlationId(),
                                    command.deviceId(),
                                    command.name()));
                case PUBLISHED -> {
                    metrics.commandPublished(Duration.between(recordTime, now));
                    yield tracker.emit(StatusEvent.published(command, now));
                }
            };
        });
    }

    /**
     * The publish of {@code command}. With MQTT 5 a device answers to the response topic with the correlation id as
     * correlation data; the record's {@code content-type} header and the headers named in
     * bridge.commands.forward-headers travel as the content type and user properties.
     */
    private CommandPublisher.Publication publication(Command command, IncomingKafkaRecordMetadata<?, ?> kafka) {
        Headers headers = kafka.getHeaders();
        Header contentType = headers == null ? null : headers.lastHeader(KafkaHeaders.CONTENT_TYPE);
        List<Map.Entry<String, String>> forwarded = new ArrayList<>();
        if (headers != null && !forwardHeaders.isEmpty()) {
            for (Header header : headers) {
                if (forwardHeaders.contains(header.key()) && header.value() != null) {
                    forwarded.add(Map.entry(header.key(), new String(header.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        return new CommandPublisher.Publication(
                topics.topicFor(command),
                command.payload(),
                command.qos(),
                command.retain(),
                command.expiresAt(),
                topics.responseTopicFor(command),
                command.correlationId().getBytes(StandardCharsets.UTF_8),
                contentType == null || contentType.value() == null
                        ? null
                        : new String(contentType.value(), StandardCharsets.UTF_8),
                forwarded);
    }

    /** A record that cannot run: dead letter with the reason, plus a {@code rejected} status event. */
    private CompletionStage<Void> refuse(
            IncomingKafkaRecordMetadata<?, ?> kafka, byte[] value, CommandCheck.Refused refused) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, KafkaHeaders.DEAD_LETTER_REASON, refused.reason().code());
        header(headers, KafkaHeaders.DEAD_LETTER_CAUSE, refused.detail());
        header(headers, KafkaHeaders.DEAD_LETTER_TOPIC, kafka.getTopic());
        header(headers, KafkaHeaders.DEAD_LETTER_PARTITION, Integer.toString(kafka.getPartition()));
        header(headers, KafkaHeaders.DEAD_LETTER_OFFSET, Long.toString(kafka.getOffset()));
        header(headers, KafkaHeaders.CORRELATION_ID, refused.correlationId());
        Object key = kafka.getKey();
        CompletableFuture<Void> deadLetter = records.write(
                        config.commands().deadLetterTopic(), key == null ? null : key.toString(), value, headers)
                .toCompletableFuture();
        CompletableFuture<Void> status =
                tracker.emit(refused.statusEvent(Instant.now())).toCompletableFuture();
        return CompletableFuture.allOf(deadLetter, status);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Derived from the record's position, so a replayed record keeps the same id. */
    private static String fallbackCorrelationId(IncomingKafkaRecordMetadata<?, ?> kafka) {
        return kafka.getTopic() + "-" + kafka.getPartition() + "-" + kafka.getOffset();
    }

    private CompletionStage<Void> enter() {
        synchronized (gateLock) {
            if (inFlight.get() < maxInFlight) {
                return CompletableFuture.completedFuture(null);
            }
            gate = new CompletableFuture<>();
            return gate;
        }
    }

    private void leave() {
        CompletableFuture<Void> open = null;
        synchronized (gateLock) {
            if (inFlight.decrementAndGet() < maxInFlight && gate != null) {
                open = gate;
                gate = null;
            }
        }
        if (open != null) {
            open.complete(null);
        }
    }
}
