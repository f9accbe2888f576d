package io.edgebridge.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * A device that takes commands: subscribed to its command topics over TLS, it records each command and, when given
 * a responder, answers on the response topic, as device firmware would.
 */
public final class CommandDevice implements AutoCloseable {

    /** A command as the device received it. */
    public record Received(
            String topic, String name, String correlationId, String payload, int qos, boolean retained) {}

    private final SimulatedDevice device;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ExecutorService responder = Executors.newSingleThreadExecutor();

    private CommandDevice(SimulatedDevice device) {
        this.device = device;
    }

    /** Subscribes to {@code devices/{id}/commands/+/+}; {@code answer} maps a command to its response (null: none). */
    public static CommandDevice start(MqttBroker broker, String deviceId, Function<Received, String> answer) {
        return on(SimulatedDevice.connect(broker, deviceId), answer);
    }

    /** The same on a device's existing connection (closing this closes it). */
    public static CommandDevice on(SimulatedDevice device, Function<Received, String> answer) {
        String deviceId = device.id();
        CommandDevice commands = new CommandDevice(device);
        try {
            device.client().subscribe("devices/" + deviceId + "/commands/+/+", 2, (topic, message) -> {
                String[] levels = topic.split("/", -1);
                Received command = new Received(
                        topic,
                        levels[3],
                        levels[4],
                        new String(message.getPayload(), StandardCharsets.UTF_8),
                        message.getQos(),
                        message.isRetained());
                commands.received.add(command);
                String response = answer == null ? null : answer.apply(command);
                if (response != null) {
                    // Not from the callback thread: paho must not block in messageArrived.
                    commands.responder.execute(() -> device.publish(
                            topic.substring(0, topic.lastIndexOf('/')) + "/response/" + command.correlationId(),
                            response,
                            1));
                }
            });
        } catch (MqttException e) {
            device.close();
            throw new IllegalStateException("device " + deviceId + " cannot subscribe: " + e, e);
        }
        return commands;
    }

    public List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        responder.shutdown();
        device.close();
    }
}
