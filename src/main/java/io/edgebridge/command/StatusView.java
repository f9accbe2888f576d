package io.edgebridge.command;

import io.edgebridge.config.BridgeConfig;
import io.edgebridge.config.CommandsConfig;
import io.edgebridge.metrics.CommandMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Every replica's view of all commands: one Kafka consumer, in no group, reads every partition of the status topic
 * (from {@code bridge.commands.status-history} ago) and of the response topic (from now) on its own thread, and
 * hands what it reads to {@link CommandTracker#applyFromView}. The glue around {@link ViewRecord} and
 * {@link ViewProgress}; the same {@code kafka.*} settings as the rest of the bridge.
 */
@ApplicationScoped
public class StatusView {

    private static final Logger LOG = Logger.getLogger(StatusView.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration KAFKA_CALL = Duration.ofSeconds(5);
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** Behind for longer than this, once caught up, is lagging; a busy view is behind for moments all the time. */
    private static final Duration LAG_TOLERANCE = Duration.ofSeconds(10);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    BridgeConfig config;

    @Inject
    CommandTracker tracker;

    @Inject
    StatusWriter writer;

    @Inject
    CommandMetrics metrics;

    private final Queue<CompletableFuture<Void>> markRequests = new ConcurrentLinkedQueue<>();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile ViewProgress progress;
    private volatile boolean running;
    private KafkaConsumer<byte[], byte[]> consumer; // the view thread's alone, apart from wakeup()
    private Thread thread;
    private List<TopicPartition> statusPartitions = List.of();
    private long applied;
    private String lastError;

    void start(@Observes StartupEvent event) {
        progress = new ViewProgress(config.health().statusViewTimeout(), LAG_TOLERANCE, System.nanoTime());
        metrics.commandsViewLagGauge(() -> Math.max(0, progress.lag()));
        consumer = new KafkaConsumer<>(consumerConfig());
        running = true;
        thread = new Thread(this::run, "edge-bridge-status-view");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(KAFKA_CALL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Completes once the view has read everything the status topic holds now (the deadline hand-over waits). */
    public CompletableFuture<Void> caughtUpWithNow() {
        CompletableFuture<Void> reached = new CompletableFuture<>();
        markRequests.add(reached);
        return reached;
    }

    boolean ready() {
        return progress != null && progress.ready();
    }

    ViewProgress.State state() {
        return progress == null ? ViewProgress.State.CATCHING_UP : progress.state();
    }

    long lag() {
        return progress == null ? -1 : progress.lag();
    }

    long unreadable() {
        return unreadable.get();
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // no group: it reads every partition itself
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "edge-bridge-status-view");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a position retention deleted: the oldest
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> owned = consumer) {
            while (running) {
                try {
                    if (statusPartitions.isEmpty()) {
                        assign();
                    } else {
                        apply(consumer.poll(POLL));
                        takeMarks();
                    }
                    report(progress.read(positions(), lagNow(), System.nanoTime()));
                    if (lastError != null && !statusPartitions.isEmpty()) {
                        LOG.infof("Command status view reading again after: %s", lastError);
                        lastError = null;
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    failed(e.toString());
                }
            }
        } catch (WakeupException e) {
            // stopping
        }
    }

    /** Assigns every partition of both topics and seeks: the status topic to its history, responses to the end. */
    private void assign() {
        CommandsConfig commands = config.commands();
        List<TopicPartition> status = partitions(commands.statusTopic());
        List<TopicPartition> responses = partitions(commands.responseTopic());
        if (status.isEmpty() || responses.isEmpty()) {
            failed("topic " + (status.isEmpty() ? commands.statusTopic() : commands.responseTopic()) + " not found");
            return;
        }
        List<TopicPartition> all = new ArrayList<>(status);
        all.addAll(responses);
        consumer.assign(all);
        long since = System.currentTimeMillis() - commands.statusHistory().toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        status.forEach(partition -> times.put(partition, since));
        Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(times, KAFKA_CALL);
        Map<TopicPartition, Long> ends = consumer.endOffsets(status, KAFKA_CALL);
        for (TopicPartition partition : status) {
            OffsetAndTimestamp first = start.get(partition);
            consumer.seek(partition, first == null ? ends.get(partition) : first.offset()); // null: nothing since
        }
        consumer.seekToEnd(responses); // a response only wakes who waits now
        progress.started(ends);
        statusPartitions = status;
        LOG.infof(
                "Command status view reading %s (%d partitions, the last %s: bridge.commands.status-history) and %s"
                        + " (%d partitions, from now)",
                commands.statusTopic(),
                status.size(),
                commands.statusHistory(),
                commands.responseTopic(),
                responses.size());
    }

    private List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> found = consumer.partitionsFor(topic, KAFKA_CALL);
        return found == null
                ? List.of()
                : found.stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .toList();
    }

    private void apply(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        String statusTopic = config.commands().statusTopic();
        List<ViewRecord> read = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ViewRecord seen = ViewRecord.read(record, statusTopic, writer.replica());
            if (seen instanceof ViewRecord.Unreadable why) {
                if (unreadable.getAndIncrement() == 0) {
                    LOG.warnf(
                            "Command status view skipped %s-%d@%d, %s; later ones are only counted (health check"
                                    + " command-status-view, unreadable)",
                            record.topic(), record.partition(), record.offset(), why.why());
                }
            } else if (seen instanceof ViewRecord.Status) {
                applied++;
                read.add(seen);
            } else if (seen instanceof ViewRecord.Response) {
                read.add(seen);
            }
        }
        tracker.applyFromView(read);
    }

    /** The end offsets of now, for each hand-over waiting; asked once for all of them. */
    private void takeMarks() {
        if (markRequests.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(statusPartitions, KAFKA_CALL);
        for (CompletableFuture<Void> request = markRequests.poll(); request != null; request = markRequests.poll()) {
            progress.mark(ends, request);
        }
    }

    private Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            positions.put(partition, consumer.position(partition, KAFKA_CALL));
        }
        return positions;
    }

    private long lagNow() {
        long lag = -1;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong known = consumer.currentLag(partition);
            if (known.isPresent()) {
                lag = Math.max(lag, 0) + known.getAsLong();
            }
        }
        return lag;
    }

    private void report(ViewProgress.State changed) {
        if (changed == ViewProgress.State.CAUGHT_UP) {
            LOG.infof("Command status view caught up: %d status events applied so far", applied);
        } else if (changed == ViewProgress.State.LAGGING) {
            LOG.warnf(
                    "Command status view lagging (%s): GET and wait on this replica may not know the latest commands,"
                            + " and the deadlines it takes over wait for it. Ready anyway after"
                            + " bridge.health.status-view-timeout=%s",
                    statusPartitions.isEmpty() ? "not reading: " + lastError : progress.lag() + " records behind",
                    config.health().statusViewTimeout());
        }
    }

    /** One line per new reason; a pause before the next try (the poll paces the loop otherwise). */
    private void failed(String reason) {
        if (!reason.equals(lastError)) {
            lastError = reason;
            LOG.warnf("Command status view cannot read: %s; retrying", reason);
        }
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
