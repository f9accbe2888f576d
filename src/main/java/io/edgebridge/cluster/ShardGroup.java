package io.edgebridge.cluster;

import io.edgebridge.health.OwnedShards;
import io.edgebridge.metrics.ClusterMetrics;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.jboss.logging.Logger;

/**
 * Shard ownership through a Kafka consumer group, as Kafka Connect spreads its work: the coordination topic's N
 * partitions are the N shards, the group (classic protocol, cooperative-sticky assignment) hands them out, detects
 * failed members and moves their shards; nothing here votes or elects. One thread polls the group, with every wait
 * bounded, and renews this member's lease after each poll by committing its positions (a commit succeeds only from a
 * current member, and restarts its session at the coordinator).
 */
public final class ShardGroup implements ShardOwnership, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ShardGroup.class);

    private final ClusterSettings settings;
    private final Map<String, Object> kafka;
    private final Ownership ownership;
    private final OwnedShards status;
    private final ClusterMetrics metrics;
    private final Runnable refused;
    private volatile boolean running;
    /** Since when renewals fail ({@link System#nanoTime()}), or {@link Long#MIN_VALUE}; a warning once past half. */
    private long renewalFailingSince = Long.MIN_VALUE;

    private boolean renewalWarned;
    /** The last failure of the poll loop or the topic check that was logged: repeats are not. */
    private String reported;

    private Thread thread;

    /**
     * @param kafka the Kafka client settings ({@code kafka.*}: bootstrap servers, security); the group's own are added
     * @param refused what to do when the coordination topic is refused at run time (stop the process)
     */
    public ShardGroup(
            ClusterSettings settings,
            Map<String, Object> kafka,
            OwnedShards status,
            ClusterMetrics metrics,
            Runnable refused) {
        this.settings = settings;
        this.kafka = Map.copyOf(kafka);
        this.ownership = new Ownership(settings.shards(), settings.lease());
        this.status = status;
        this.metrics = metrics;
        this.refused = refused;
        status.describe(true, settings.memberId(), settings.shards());
    }

    @Override
    public int shards() {
        return settings.shards();
    }

    @Override
    public String memberId() {
        return settings.memberId();
    }

    @Override
    public boolean mayConnect(int shard) {
        return ownership.mayConnect(shard, System.nanoTime());
    }

    @Override
    public List<Integer> owned() {
        return ownership.in(ShardState.OWNED);
    }

    @Override
    public synchronized void start(ShardListener listener) {
        if (thread != null) {
            throw new IllegalStateException("the shard group was started already");
        }
        running = true;
        thread = new Thread(() -> run(listener), "edge-bridge-cluster");
        thread.setDaemon(true);
        thread.start();
    }

    /** Creates or checks the coordination topic; a topic with another partition count stops startup. */
    public void checkTopic(Duration timeout) {
        try (Admin admin = Admin.create(ClusterClients.admin(settings, kafka, timeout))) {
            CoordinationTopic.ensure(admin, settings, timeout);
        } catch (ConfigurationException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf(
                    "Cannot check the coordination topic %s yet (%s); it is checked again before joining the group",
                    settings.topic(), String.valueOf(e));
        }
    }

    /** Leaves the group: each held shard is released through the MQTT side first, within the bounds of a release. */
    @Override
    public void close() {
        Thread worker;
        synchronized (this) {
            running = false;
            worker = thread;
        }
        if (worker == null) {
            return;
        }
        try {
            worker.join(settings.maxPollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            LOG.warnf("The cluster thread did not finish leaving group %s in time", settings.groupId());
        }
    }

    private void run(ShardListener listener) {
        if (!topicReady()) {
            return;
        }
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(ClusterClients.consumer(settings, kafka));
        Handover handover = null;
        try (OwnershipLog records =
                new OwnershipLog(new KafkaProducer<>(ClusterClients.producer(settings, kafka)), settings)) {
            handover = new Handover(
                    settings, ownership, consumer, records, listener, status, metrics, () -> renew(consumer));
            consumer.subscribe(List.of(settings.topic()), handover);
            LOG.infof(
                    "Member %s joins group %s for %d shards (topic %s, session timeout %s, lease %s)",
                    settings.memberId(),
                    settings.groupId(),
                    settings.shards(),
                    settings.topic(),
                    settings.sessionTimeout(),
                    settings.lease());
            while (running) {
                poll(consumer, handover);
            }
            // Revokes every partition through the handover (releasing each shard) before the leave request is sent.
            consumer.close(CloseOptions.timeout(settings.maxPollInterval())
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            LOG.infof("Member %s left group %s", settings.memberId(), settings.groupId());
        } catch (RuntimeException e) {
            LOG.errorf(e, "The cluster thread of member %s stopped", settings.memberId());
            if (handover != null) {
                handover.abandon("the cluster thread stopped");
            }
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    /** One round: the lease first (a paused member gives up before anything else), then the group, then records. */
    private void poll(KafkaConsumer<String, String> consumer, Handover handover) {
        try {
            handover.checkLease(System.nanoTime());
            handover.read(consumer.poll(settings.pollTimeout()));
            recovered();
            if (renew(consumer)) {
                handover.acquireAssigned();
            }
            long now = System.nanoTime();
            handover.expire(now);
            handover.heartbeats(now);
        } catch (InterruptException e) {
            running = false;
        } catch (KafkaException e) {
            report("Shard group " + settings.groupId() + ": " + e);
            sleep(settings.pollTimeout());
        }
    }

    /** Commits the positions of the assigned partitions; success renews the lease from the moment it was sent. */
    private boolean renew(KafkaConsumer<String, String> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return false;
        }
        long sent = System.nanoTime();
        try {
            Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            for (TopicPartition partition : assigned) {
                positions.put(
                        partition, new OffsetAndMetadata(consumer.position(partition, settings.requestTimeout())));
            }
            consumer.commitSync(positions, settings.requestTimeout());
            ownership.renew(sent);
            renewalFailingSince = Long.MIN_VALUE;
            if (renewalWarned) {
                renewalWarned = false;
                LOG.infof("Member %s confirmed in group %s again", settings.memberId(), settings.groupId());
            }
            return true;
        } catch (InterruptException e) {
            running = false;
            return false;
        } catch (RuntimeException e) {
            // A rebalance refuses commits for a moment: only a failure lasting half the lease is worth a line.
            long now = System.nanoTime();
            if (renewalFailingSince == Long.MIN_VALUE) {
                renewalFailingSince = now;
            } else if (!renewalWarned
                    && now - renewalFailingSince > settings.lease().toNanos() / 2) {
                renewalWarned = true;
                LOG.warnf(
                        "Member %s cannot confirm its place in group %s for %s (%s); its shards are given up once"
                                + " the lease of %s runs out",
                        settings.memberId(),
                        settings.groupId(),
                        Duration.ofNanos(now - renewalFailingSince),
                        String.valueOf(e),
                        settings.lease());
            }
            return false;
        }
    }

    /** The topic must be right before joining: retried while Kafka does not answer, fatal when refused. */
    private boolean topicReady() {
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            try (Admin admin = Admin.create(ClusterClients.admin(settings, kafka, settings.sessionTimeout()))) {
                CoordinationTopic.ensure(admin, settings, settings.sessionTimeout());
                recovered();
                return true;
            } catch (ConfigurationException e) {
                LOG.errorf("Stopping: %s", e.getMessage());
                refused.run();
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                report("Cannot check the coordination topic " + settings.topic() + ": " + e + "; retrying");
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                        ? Duration.ofSeconds(30)
                        : backoff.multipliedBy(2);
            }
        }
        return false;
    }

    private void report(String problem) {
        if (!problem.equals(reported)) {
            reported = problem;
            LOG.warn(problem);
        }
    }

    private void recovered() {
        if (reported != null) {
            reported = null;
            LOG.infof("Shard group %s: Kafka answers again", settings.groupId());
        }
    }

    private void sleep(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (running && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
