package io.edgebridge.testkit;

import java.nio.file.Path;
import java.util.Map;

/**
 * Mosquitto (TLS + password) and a Kafka broker whose client listener is SASL_SSL (SCRAM-SHA-512) with a CA of
 * its own, as a Strimzi cluster has: the bridge must trust that CA explicitly. The bridge's topics exist.
 */
public record SaslSslBrokers(MosquittoBroker mqtt, TestCertificates kafkaCa, KafkaServerProcess kafka)
        implements AutoCloseable {

    public static SaslSslBrokers start(Path dir, String user, String password) {
        MosquittoBroker mqtt = MosquittoBroker.start(dir.resolve("mosquitto"), 100);
        KafkaServerProcess kafka = null;
        try {
            TestCertificates kafkaCa = TestCertificates.create(dir.resolve("kafka-tls"), "Kafka cluster CA");
            kafka = KafkaServerProcess.start(
                    dir.resolve("kafka"), new KafkaServerProcess.SaslSsl(kafkaCa, Map.of(user, password)));
            kafka.createTopics(2, "device-telemetry", "device-commands", "device-command-status");
            return new SaslSslBrokers(mqtt, kafkaCa, kafka);
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            mqtt.close();
            throw e;
        }
    }

    /** The bridge's env vars for these brokers, Kafka's as the Helm chart sets them for SASL_SSL with a PEM CA. */
    public Map<String, String> bridgeEnvironment(String clientId, String user, String password) {
        return BridgeProcess.withKafkaSaslSsl(
                BridgeProcess.environment(mqtt, kafka.saslSslBootstrapServers(), clientId),
                kafkaCa.caCert,
                user,
                password);
    }

    @Override
    public void close() {
        try {
            mqtt.close();
        } finally {
            kafka.close();
        }
    }
}
