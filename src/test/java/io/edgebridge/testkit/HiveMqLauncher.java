package io.edgebridge.testkit;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The main class of the HiveMQ CE broker's own JVM ({@link HiveMqBroker} starts it): runs {@code EmbeddedHiveMQ} on
 * a config, data and extensions folder, prints {@link #READY} once it listens, and stops it cleanly on SIGTERM.
 * HiveMQ is on that JVM's classpath only, never on the tests', so it is reached by reflection here.
 *
 * <p>Arguments: config folder, data folder, extensions folder, the most unacknowledged QoS 1/2 messages it sends
 * one client (HiveMQ's internal {@code MAX_INFLIGHT_WINDOW_SIZE_MESSAGES}, 50 unless changed).
 */
public final class HiveMqLauncher {

    public static final String READY = "edge-bridge hivemq launcher: ready";

    private HiveMqLauncher() {}

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        Path data = Path.of(args[1]);
        Path extensions = Path.of(args[2]);
        int maxInflight = Integer.parseInt(args[3]);
        // Not in config.xml: a static field read for every client, the bound below a client's receive maximum.
        Class.forName("com.hivemq.configuration.service.InternalConfigurations")
                .getField("MAX_INFLIGHT_WINDOW_SIZE_MESSAGES")
                .setInt(null, maxInflight);
        Class<?> brokerType = Class.forName("com.hivemq.embedded.EmbeddedHiveMQ");
        Class<?> builderType = Class.forName("com.hivemq.embedded.EmbeddedHiveMQBuilder");
        Object builder = brokerType.getMethod("builder").invoke(null);
        builderType.getMethod("withConfigurationFolder", Path.class).invoke(builder, config);
        builderType.getMethod("withDataFolder", Path.class).invoke(builder, data);
        builderType.getMethod("withExtensionsFolder", Path.class).invoke(builder, extensions);
        Object broker = builderType.getMethod("build").invoke(builder);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close(brokerType, broker);
            stopped.countDown();
        }));
        try {
            ((CompletableFuture<?>) brokerType.getMethod("start").invoke(broker)).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println(READY);
        System.out.flush();
        stopped.await();
    }

    /** Stops HiveMQ, which closes its persistence (sessions and queued messages) for the next start. */
    private static void close(Class<?> brokerType, Object broker) {
        try {
            brokerType.getMethod("close").invoke(broker);
        } catch (InvocationTargetException | IllegalAccessException | NoSuchMethodException e) {
            e.printStackTrace();
        }
    }
}
