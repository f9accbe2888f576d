package io.edgebridge.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A cloud application writing commands to the commands topic: key = device id, value = command JSON. */
public final class KafkaCommandWriter implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public KafkaCommandWriter(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
        this.topic = topic;
    }

    /** Sends without waiting; {@link #flush()} waits for all. */
    public void send(String deviceId, String value) {
        producer.send(record(deviceId, value));
    }

    private ProducerRecord<String, byte[]> record(String deviceId, String value) {
        return new ProducerRecord<>(topic, deviceId, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends and waits for Kafka's acknowledgement. */
    public void write(String deviceId, String value) {
        try {
            producer.send(record(deviceId, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("command not written: " + e, e);
        }
    }

    /** Sends with record headers (name -> value) and waits for Kafka's acknowledgement. */
    public void write(String deviceId, String value, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = record(deviceId, value);
        headers.forEach((name, header) -> record.headers().add(name, header.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("command not written: " + e, e);
        }
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
