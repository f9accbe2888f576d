package io.edgebridge.testkit;

import java.nio.file.Path;

/**
 * One Mosquitto and one Kafka for the whole test JVM, started on first use and stopped when the JVM exits.
 * Each Quarkus test profile loads this class anew, so the running brokers are found through system properties.
 */
public final class SharedBrokers {

    private static final String PREFIX = "edgebridge.test.";

    private static MqttBroker mqtt;
    private static KafkaBroker kafka;

    private SharedBrokers() {}

    public static synchronized MqttBroker mqtt() {
        start();
        return mqtt;
    }

    public static synchronized KafkaBroker kafka() {
        start();
        return kafka;
    }

    private static void start() {
        if (mqtt != null) {
            return;
        }
        synchronized (System.class) {
            if (System.getProperty(PREFIX + "kafka") == null) {
                Path dir = Path.of("target", "test-brokers", "mosquitto-" + System.nanoTime())
                        .toAbsolutePath();
                MosquittoBroker mosquitto = MosquittoBroker.start(dir, 100);
                KafkaBroker started = KafkaBroker.start();
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(
                                () -> {
                                    mosquitto.close();
                                    started.close();
                                },
                                "shared-brokers-stop"));
                System.setProperty(PREFIX + "mqtt.port", Integer.toString(mosquitto.port()));
                System.setProperty(PREFIX + "mqtt.password", mosquitto.password());
                System.setProperty(
                        PREFIX + "mqtt.tls", mosquitto.certificates().dir.toString());
                System.setProperty(PREFIX + "kafka", started.bootstrapServers());
            }
            mqtt = new RunningMqttBroker(
                    "127.0.0.1",
                    Integer.getInteger(PREFIX + "mqtt.port"),
                    MosquittoBroker.USERNAME,
                    System.getProperty(PREFIX + "mqtt.password"),
                    TestCertificates.load(Path.of(System.getProperty(PREFIX + "mqtt.tls"))));
            kafka = KafkaBroker.attach(System.getProperty(PREFIX + "kafka"));
        }
    }

    /** A broker started elsewhere in this JVM. */
    record RunningMqttBroker(String host, int port, String username, String password, TestCertificates certificates)
            implements MqttBroker {
        @Override
        public void close() {}
    }
}
