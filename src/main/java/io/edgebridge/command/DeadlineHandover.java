package io.edgebridge.command;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Hands the deadlines of published commands over with the partitions of the commands topic, so each time-out is
 * reported by one replica: the command consumer's group tells it when this replica gets or gives up partitions
 * (SmallRye calls it on the consumer's thread, by the name in {@code consumer-rebalance-listener.name}). A partition
 * given up stops its time-outs here at once, after the ones being written reached Kafka; a partition received has
 * them reported here once the status view has read what the status topic holds now, the previous owner's last
 * time-outs included.
 */
@ApplicationScoped
@Identifier(DeadlineHandover.NAME)
public class DeadlineHandover implements KafkaConsumerRebalanceListener {

    /** The listener's name in {@code mp.messaging.incoming.commands-in.consumer-rebalance-listener.name}. */
    public static final String NAME = "deadline-handover";

    private static final Logger LOG = Logger.getLogger(DeadlineHandover.class);

    @Inject
    CommandTracker tracker;

    @Inject
    StatusView view;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        String topic = partitions.iterator().next().topic();
        List<Integer> numbers = numbers(partitions);
        int count = 0; // unknown: the count known before stays
        try {
            count = consumer.partitionsFor(topic).size(); // the consumer has the topic's metadata: no round trip
        } catch (KafkaException e) {
            LOG.warnf(
                    "Partitions of %s not known (%s): time-outs are grouped by the count known before, if any",
                    topic, e.toString());
        }
        long mark = tracker.assigned(numbers, count);
        view.caughtUpWithNow().thenRun(() -> {
            tracker.caughtUp(mark);
            LOG.infof("Time-outs of %s partitions %s are reported by this replica now", topic, numbers);
        });
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            tracker.revoked(numbers(partitions), true);
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            tracker.revoked(numbers(partitions), false); // another replica may own them already: nothing to wait for
        }
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }
}
