package io.edgebridge.testkit;

import java.nio.file.Path;

/**
 * One Mosquitto and one Kafka for the whole test JVM, started on first use and stopped when the JVM exits,
 * so several {@code @QuarkusTest} profiles share them.
 */
public final class SharedBrokers {

    private static MosquittoBroker mqtt;
    private static KafkaBroker kafka;

    private SharedBrokers() {
    }

    public static synchronized MosquittoBroker mqtt() {
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
        Path dir = Path.of("target", "test-brokers", "mosquitto-" + ProcessHandle.current().pid()).toAbsolutePath();
        mqtt = MosquittoBroker.start(dir, 100);
        kafka = KafkaBroker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mqtt.close();
            kafka.close();
        }, "shared-brokers-stop"));
    }
}
