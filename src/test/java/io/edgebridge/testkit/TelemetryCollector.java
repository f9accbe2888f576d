package io.edgebridge.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads Kafka topics in the background and keeps, per record key, the message numbers in offset order, so a test
 * can count what was lost, duplicated or reordered. Payloads are {@code <device>:<seq>[...]}.
 */
public final class TelemetryCollector implements AutoCloseable {

    private final Thread thread;
    private final Map<String, List<Integer>> sequences = new ConcurrentHashMap<>();
    private final Map<String, List<ConsumerRecord<String, byte[]>>> byTopic = new ConcurrentHashMap<>();
    private final AtomicLong count = new AtomicLong();
    private final Map<String, Set<Integer>> partitions = new ConcurrentHashMap<>();
    private final boolean keepRecords;
    private final Consumer<ConsumerRecord<String, byte[]>> listener;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile boolean running = true;

    public TelemetryCollector(String bootstrap, boolean keepRecords, String... topics) {
        this(bootstrap, keepRecords, null, topics);
    }

    /** The same, also handing every record to {@code listener} on the consumer thread (the benchmark times them). */
    public TelemetryCollector(
            String bootstrap,
            boolean keepRecords,
            Consumer<ConsumerRecord<String, byte[]>> listener,
            String... topics) {
        this.keepRecords = keepRecords;
        this.listener = listener;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "collector-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        thread = new Thread(
                () -> {
                    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
                        consumer.subscribe(List.of(topics), new ConsumerRebalanceListener() {
                            @Override
                            public void onPartitionsRevoked(Collection<TopicPartition> p) {}

                            @Override
                            public void onPartitionsAssigned(Collection<TopicPartition> p) {
                                assigned.countDown();
                            }
                        });
                        while (running) {
                            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                                accept(record);
                            }
                        }
                    } catch (RuntimeException e) {
                        if (running) {
                            throw e;
                        }
                    }
                },
                "telemetry-collector");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the consumer group gave this collector its partitions; false after the timeout. */
    public boolean awaitAssigned(Duration timeout) {
        try {
            return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        if (listener != null) {
            listener.accept(record);
        }
        count.incrementAndGet();
        if (record.key() != null) {
            partitions
                    .computeIfAbsent(record.key(), k -> ConcurrentHashMap.newKeySet())
                    .add(record.partition());
        }
        if (keepRecords) {
            byTopic.computeIfAbsent(record.topic(), t -> Collections.synchronizedList(new ArrayList<>()))
                    .add(record);
        }
        String value = new String(record.value(), 0, Math.min(record.value().length, 200), StandardCharsets.UTF_8);
        int colon = value.indexOf(':');
        if (record.key() == null || colon < 0) {
            return;
        }
        int end = colon + 1;
        while (end < value.length() && Character.isDigit(value.charAt(end))) {
            end++;
        }
        if (end > colon + 1) {
            sequences
                    .computeIfAbsent(record.key(), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(Integer.parseInt(value.substring(colon + 1, end)));
        }
    }

    /** How many partitions each key's records were found in. */
    public Map<String, Integer> partitionsPerKey() {
        Map<String, Integer> result = new HashMap<>();
        partitions.forEach((key, set) -> result.put(key, set.size()));
        return result;
    }

    public long count() {
        return count.get();
    }

    /** Records of one topic (only with {@code keepRecords}). */
    public List<ConsumerRecord<String, byte[]>> records(String topic) {
        return new ArrayList<>(byTopic.getOrDefault(topic, List.of()));
    }

    /** Waits until {@code expected} distinct messages arrived or the timeout passed. */
    public Report await(Map<String, Integer> expectedPerKey, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Report report = report(expectedPerKey);
        while (report.lost() > 0 && System.nanoTime() < deadline) {
            Ports.sleep(250);
            report = report(expectedPerKey);
        }
        return report;
    }

    /** Lost, duplicated and out-of-order messages, against {@code expectedPerKey} (numbers 0..n-1 per key). */
    public Report report(Map<String, Integer> expectedPerKey) {
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long received = 0;
        for (Map.Entry<String, Integer> expected : expectedPerKey.entrySet()) {
            List<Integer> got;
            List<Integer> live = sequences.getOrDefault(expected.getKey(), List.of());
            synchronized (live) {
                got = new ArrayList<>(live);
            }
            received += got.size();
            Set<Integer> seen = new HashSet<>();
            int highest = -1;
            for (int seq : got) {
                if (!seen.add(seq)) {
                    duplicates++;
                } else if (seq < highest) {
                    outOfOrder++;
                }
                highest = Math.max(highest, seq);
            }
            for (int seq = 0; seq < expected.getValue(); seq++) {
                if (!seen.contains(seq)) {
                    lost++;
                }
            }
        }
        return new Report(received, lost, duplicates, outOfOrder);
    }

    /** What arrived compared with what was expected. */
    public record Report(long received, long lost, long duplicates, long outOfOrder) {}

    public static Map<String, Integer> expect(List<String> keys, int perKey) {
        Map<String, Integer> expected = new HashMap<>();
        keys.forEach(k -> expected.put(k, perKey));
        return expected;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
