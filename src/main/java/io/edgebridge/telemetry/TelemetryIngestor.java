package io.edgebridge.telemetry;

import io.edgebridge.Channels;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.mapping.TopicMatch;
import io.edgebridge.metrics.DropReason;
import io.edgebridge.metrics.TelemetryMetrics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

/**
 * MQTT -> Kafka. Each message becomes its Kafka records (one: the event or a dead letter; several, in order, when a
 * rule's transform splits it; none when it filters it) and is acknowledged to the broker only when Kafka
 * acknowledged every one of them (and, for a rule another flow added, that flow was told).
 */
@ApplicationScoped
public class TelemetryIngestor {

    private static final Logger LOG = Logger.getLogger(TelemetryIngestor.class);

    @Inject
    TelemetryRouter router;

    @Inject
    TelemetryMetrics metrics;

    @Inject
    TopicMapper mapper;

    @Inject
    Instance<RuleExtension> extensions;

    /** Rule name -> the flow that added the rule. */
    private final Map<String, RuleExtension> extensionsByRule = new HashMap<>();

    @PostConstruct
    void init() {
        extensions.forEach(extension -> extensionsByRule.put(extension.rule().name(), extension));
    }

    /** Every rule's series exist from the first scrape; the label values are bounded by the rules file. */
    void registerSeries(@Observes StartupEvent event) {
        mapper.rules().forEach(rule -> RuleSeries.register(metrics, rule));
        RuleSeries.registerNoRule(metrics);
        Arrays.stream(DropReason.values()).forEach(metrics::registerDropReason);
    }

    /**
     * Pure CPU work, no I/O: called on the MQTT event loop, in order. SmallRye concatenates the records returned for
     * each message (one message's records, in order, before the next message's), so a device's records stay in
     * order under its key. A throw here would end the stream: every failure becomes an answer instead.
     */
    @Incoming(Channels.TELEMETRY_IN)
    @Outgoing(Channels.TELEMETRY_OUT)
    public Multi<Message<byte[]>> ingest(Message<byte[]> in) {
        Optional<MqttReceived> received = in.getMetadata(MqttReceived.class);
        if (received.isEmpty()) {
            LOG.error("A telemetry message came without its MQTT metadata; it is refused (a bug)");
            in.nack(new IllegalStateException("telemetry message without MqttReceived metadata"));
            return Multi.createFrom().empty();
        }
        MqttReceived origin = received.get();
        Telemetry telemetry = new Telemetry(
                origin.topic(),
                in.getPayload(),
                origin.qos(),
                origin.retained(),
                origin.duplicate(),
                origin.receivedAtMillis(),
                origin.properties());
        Routing routing;
        try {
            routing = router.route(telemetry);
        } catch (RuntimeException e) {
            // A bug must not stop the channel: the message is kept, with the reason, in the dead-letter topic.
            LOG.errorf(e, "Routing the message from '%s' failed; it goes to the dead-letter topic", origin.topic());
            routing = router.processingError(telemetry, e);
        }
        metrics.received(routing.rule());
        if (routing instanceof KafkaRecordPlan record) {
            return Multi.createFrom().item(single(in, origin, telemetry, record));
        }
        return transformed(in, origin, (Transformed) routing);
    }

    /** A message that is one record: the event as received, or a dead letter. */
    private Message<byte[]> single(
            Message<byte[]> in, MqttReceived origin, Telemetry telemetry, KafkaRecordPlan record) {
        OutgoingKafkaRecordMetadata<String> kafka = kafka(record);
        RuleExtension extension = record.isDeadLetter() ? null : extensionsByRule.get(record.rule());
        if (extension != null) {
            TopicMatch match = mapper.match(origin.topic());
            return in.withPayload(record.value()).addMetadata(kafka).withAck(() -> {
                metrics.forwarded(record.rule(), origin.receivedAtNanos());
                return extension.forwarded(match, telemetry).thenCompose(v -> in.ack());
            });
        }
        return in.withPayload(record.value()).addMetadata(kafka).withAck(() -> {
            if (record.isDeadLetter()) {
                metrics.deadLettered(record.rule(), record.rejection().code());
            } else {
                metrics.forwarded(record.rule(), origin.receivedAtNanos());
            }
            return in.ack();
        });
    }

    /**
     * What a rule's transform made of a message: nothing (acknowledged now, counted as filtered), the message as a
     * dead letter, or its records, whose one acknowledgement waits for all of them.
     */
    private Multi<Message<byte[]>> transformed(Message<byte[]> in, MqttReceived origin, Transformed transformed) {
        String rule = transformed.rule();
        metrics.transformed(rule, transformed.nanos());
        if (transformed.isFiltered()) {
            metrics.filtered(rule);
            in.ack();
            return Multi.createFrom().empty();
        }
        List<KafkaRecordPlan> records = transformed.records();
        if (transformed.isDeadLetter()) {
            KafkaRecordPlan deadLetter = records.get(0);
            return Multi.createFrom()
                    .item(in.withPayload(deadLetter.value())
                            .addMetadata(kafka(deadLetter))
                            .withAck(() -> {
                                metrics.deadLettered(
                                        rule, deadLetter.rejection().code());
                                return in.ack();
                            }));
        }
        long bytes = 0;
        for (KafkaRecordPlan record : records) {
            bytes += record.value().length;
        }
        long held = bytes;
        in.getMetadata(HeldBytes.class).ifPresent(window -> window.recordsBuilt(held));
        int count = records.size();
        SplitAck answers = new SplitAck(
                count,
                () -> {
                    metrics.forwarded(rule, origin.receivedAtNanos());
                    metrics.transformRecords(rule, count);
                    return in.ack();
                },
                in::nack);
        List<Message<byte[]>> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            KafkaRecordPlan record = records.get(i);
            int index = i;
            messages.add(Message.of(
                    record.value(),
                    in.getMetadata().with(kafka(record)),
                    () -> answers.acknowledged(index),
                    error -> answers.refused(index, error)));
        }
        return Multi.createFrom().iterable(messages);
    }

    private static OutgoingKafkaRecordMetadata<String> kafka(KafkaRecordPlan record) {
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> kafka =
                OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(record.topic())
                        .withKey(record.key())
                        .withHeaders(record.headers());
        if (record.timestamp() != null) {
            kafka.withTimestamp(record.timestamp());
        }
        return kafka.build();
    }
}
