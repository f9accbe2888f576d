package io.edgebridge.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgebridge.testkit.FaultDirs;
import io.edgebridge.testkit.KafkaServerProcess;
import io.edgebridge.testkit.KafkaTopicReader;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The out-of-process Kafka keeps its data across a restart on the same port: fault tests rely on it. */
class KafkaServerProcessIT {

    @Test
    void recordsSurviveARestart() throws Exception {
        try (KafkaServerProcess kafka = KafkaServerProcess.start(FaultDirs.of("kafka-smoke"))) {
            kafka.createTopics(1, "smoke");
            Properties props = new Properties();
            props.put("bootstrap.servers", kafka.bootstrapServers());
            props.put("key.serializer", StringSerializer.class.getName());
            props.put("value.serializer", ByteArraySerializer.class.getName());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
                producer.send(new ProducerRecord<>("smoke", "k", "before".getBytes()))
                        .get();
            }
            kafka.stopProcess();
            kafka.startProcess();
            try (KafkaTopicReader reader = new KafkaTopicReader(kafka.bootstrapServers(), "smoke")) {
                assertEquals(
                        1, reader.await(r -> true, 1, Duration.ofSeconds(60)).size());
            }
        }
    }
}
