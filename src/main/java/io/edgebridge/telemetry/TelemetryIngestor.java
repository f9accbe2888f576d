package io.edgebridge.telemetry;

import io.edgebridge.Channels;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.mapping.TopicMatch;
import io.edgebridge.metrics.BridgeMetrics;
import io.edgebridge.metrics.DropReason;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

/**
 * MQTT -> Kafka. Each message becomes one Kafka record, an enveloped event or a dead letter, and is acknowledged
 * to the broker only when Kafka acknowledged that record (and, for a rule another flow added, that flow was told).
 */
@ApplicationScoped
public class TelemetryIngestor {

    private static final Logger LOG = Logger.getLogger(TelemetryIngestor.class);

    @Inject
    TelemetryRouter router;

    @Inject
    BridgeMetrics metrics;

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
        List<String> ruleReasons = Arrays.stream(Rejection.values())
                .filter(r -> r != Rejection.NO_MATCHING_RULE)
                .map(Rejection::code)
                .toList();
        mapper.rules().forEach(rule -> metrics.registerRule(rule.name(), true, ruleReasons));
        metrics.registerRule(
                TelemetryRouter.NO_RULE,
                false,
                List.of(Rejection.NO_MATCHING_RULE.code(), Rejection.PROCESSING_ERROR.code()));
        Arrays.stream(DropReason.values()).forEach(metrics::registerDropReason);
    }

    // Pure CPU work, no I/O: it runs on the MQTT event loop. Without @NonBlocking, Quarkus would hop every
    // message to a worker thread and back, one at a time, and the broker would outrun the bridge.
    @Incoming(Channels.TELEMETRY_IN)
    @Outgoing(Channels.TELEMETRY_OUT)
    @NonBlocking
    public Message<byte[]> ingest(Message<byte[]> in) {
        MqttReceived origin = in.getMetadata(MqttReceived.class).orElseThrow();
        Telemetry telemetry = new Telemetry(
                origin.topic(),
                in.getPayload(),
                origin.qos(),
                origin.retained(),
                origin.duplicate(),
                origin.receivedAtMillis(),
                origin.properties());
        KafkaRecordPlan plan;
        try {
            plan = router.route(telemetry);
        } catch (RuntimeException e) {
            // A bug must not stop the channel: the message is kept, with the reason, in the dead-letter topic.
            LOG.errorf(e, "Routing the message from '%s' failed; it goes to the dead-letter topic", origin.topic());
            plan = router.processingError(telemetry, e);
        }
        metrics.received(plan.rule());
        KafkaRecordPlan record = plan;
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(record.topic())
                .withKey(record.key())
                .withHeaders(record.headers())
                .build();
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
}
