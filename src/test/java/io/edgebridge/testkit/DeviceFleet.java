package io.edgebridge.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Devices that publish numbered messages at a fixed total rate and, like real devices, retry a message until the
 * broker acknowledged it (so a broker restart loses nothing the devices were told was accepted).
 */
public final class DeviceFleet implements AutoCloseable {

    /** What one device publishes as message {@code seq}: topic and payload. */
    public record Publication(String topic, byte[] payload) {
        public static Publication of(String topic, String payload) {
            return new Publication(topic, payload.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final ExecutorService pool;
    private final List<Future<?>> devices = new ArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean stopped;

    private DeviceFleet(int size) {
        this.pool = Executors.newFixedThreadPool(size);
    }

    /**
     * Starts {@code deviceIds.size()} devices, each publishing {@code perDevice} messages at QoS {@code qos},
     * together about {@code ratePerSecond} messages per second.
     */
    public static DeviceFleet start(
            MqttBroker broker,
            List<String> deviceIds,
            int perDevice,
            int qos,
            int ratePerSecond,
            BiFunction<String, Integer, Publication> message) {
        DeviceFleet fleet = new DeviceFleet(deviceIds.size());
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) * deviceIds.size() / Math.max(1, ratePerSecond);
        for (String id : deviceIds) {
            fleet.devices.add(fleet.pool.submit(() -> {
                fleet.run(broker, id, perDevice, qos, intervalNanos, message);
                return null;
            }));
        }
        return fleet;
    }

    private void run(
            MqttBroker broker,
            String id,
            int perDevice,
            int qos,
            long intervalNanos,
            BiFunction<String, Integer, Publication> message)
            throws Exception {
        MqttConnectOptions options = SimulatedDevice.connectOptions(broker, broker.username(), broker.password());
        options.setConnectionTimeout(5);
        MqttClient client =
                new MqttClient("ssl://" + broker.host() + ":" + broker.port(), "fleet-" + id, new MemoryPersistence());
        client.setTimeToWait(10_000);
        long next = System.nanoTime();
        try {
            for (int seq = 0; seq < perDevice && !stopped; seq++) {
                Publication publication = message.apply(id, seq);
                MqttMessage mqtt = new MqttMessage(publication.payload());
                mqtt.setQos(qos);
                while (!stopped) {
                    try {
                        if (!client.isConnected()) {
                            client.connect(options);
                        }
                        client.publish(publication.topic(), mqtt);
                        accepted.incrementAndGet();
                        break;
                    } catch (MqttException e) {
                        retries.incrementAndGet();
                        Ports.sleep(200);
                    }
                }
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } finally {
            try {
                if (client.isConnected()) {
                    client.disconnect(1000);
                }
                client.close(true);
            } catch (MqttException e) {
                // closing anyway
            }
        }
    }

    /** Messages the broker acknowledged to the devices so far. */
    public long accepted() {
        return accepted.get();
    }

    public long retries() {
        return retries.get();
    }

    /** Waits until every device published all its messages. */
    public void await(long timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (Future<?> device : devices) {
            device.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void close() {
        stopped = true;
        pool.shutdownNow();
    }
}
