package io.edgebridge.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgebridge.testkit.MqttBroker;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * What Mosquitto sent over a measured window, from its own counters: it publishes them on {@code $SYS} topics every
 * {@code sys_interval} (the benchmark's broker: 1 s), and this client records each value with its arrival time. A
 * window's rate runs from the first report inside it to the last; the reports this client itself received are taken
 * off. In a telemetry run, the PUBLISH packets Mosquitto sends go to the bridge's sessions and nowhere else: with N
 * shards in hash mode, N per message.
 */
final class BrokerEgress implements AutoCloseable {

    static final String PUBLISHES = "$SYS/broker/publish/messages/sent";
    static final String PAYLOAD_BYTES = "$SYS/broker/publish/bytes/sent";
    static final String BYTES = "$SYS/broker/bytes/sent";
    private static final int MAX_REPORTS = 100_000;

    /** One counter's value as reported, and what this client had received by then (reports, payload bytes, bytes). */
    private record Report(long nanos, String topic, long value, long own, long ownPayloadBytes, long ownBytes) {}

    private final MqttClient client;
    private final List<Report> reports = new ArrayList<>(); // guarded by itself
    private long own; // on the client's event loop
    private long ownPayloadBytes;
    private long ownBytes;

    private BrokerEgress(MqttClient client) {
        this.client = client;
    }

    /** Connects (TLS, user and password, clean session) and subscribes to the counters, waiting up to 30 s. */
    static BrokerEgress subscribe(Vertx vertx, MqttBroker broker, String clientId) {
        MqttClient client = MqttClient.create(vertx, MqttFleet.options(broker, clientId, 10));
        BrokerEgress egress = new BrokerEgress(client);
        client.publishHandler(
                message -> egress.report(message.topicName(), message.payload().toString(StandardCharsets.US_ASCII)));
        try {
            client.connect(broker.port(), broker.host())
                    .compose(ack -> client.subscribe(Map.of(PUBLISHES, 0, PAYLOAD_BYTES, 0, BYTES, 0)))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            egress.close();
            throw new IllegalStateException("cannot subscribe to the broker's $SYS counters: " + e, e);
        }
        return egress;
    }

    private void report(String topic, String payload) {
        own++;
        ownPayloadBytes += payload.length();
        // A QoS 0 PUBLISH: fixed header (2 bytes with a short remaining length), topic length (2), topic, payload.
        ownBytes += 4 + topic.length() + payload.length();
        long value;
        try {
            value = Long.parseLong(payload.trim());
        } catch (NumberFormatException e) {
            return;
        }
        synchronized (reports) {
            if (reports.size() >= MAX_REPORTS) {
                reports.subList(0, MAX_REPORTS / 2).clear();
            }
            reports.add(new Report(System.nanoTime(), topic, value, own, ownPayloadBytes, ownBytes));
        }
    }

    /**
     * Puts into {@code into} what the broker sent per second from {@code startNanos} to {@code endNanos}, and per
     * message when {@code messages} (per second, e.g. the bridge's throughput) is above 0: PUBLISH packets, their
     * payload bytes and all bytes (every packet, PUBACKs to the devices too; MQTT bytes, before TLS). -1 when fewer
     * than two reports of a counter fell inside the window.
     */
    ObjectNode window(long startNanos, long endNanos, double messages, ObjectNode into) {
        double publishes = rate(PUBLISHES, startNanos, endNanos, Report::own);
        double payloadBytes = rate(PAYLOAD_BYTES, startNanos, endNanos, Report::ownPayloadBytes);
        double bytes = rate(BYTES, startNanos, endNanos, Report::ownBytes);
        into.put("publishes_per_s", round(publishes));
        into.put("payload_bytes_per_s", round(payloadBytes));
        into.put("bytes_per_s", round(bytes));
        if (messages > 0) {
            into.put("publishes_per_msg", round(publishes / messages));
            into.put("payload_bytes_per_msg", round(payloadBytes / messages));
            into.put("bytes_per_msg", round(bytes / messages));
        }
        return into;
    }

    private double rate(String topic, long startNanos, long endNanos, ToLongFunction<Report> ownCounter) {
        Report first = null;
        Report last = null;
        synchronized (reports) {
            for (Report r : reports) {
                if (r.topic.equals(topic) && r.nanos >= startNanos && r.nanos <= endNanos) {
                    first = first == null ? r : first;
                    last = r;
                }
            }
        }
        if (first == null || last.nanos <= first.nanos) {
            return Double.NaN;
        }
        // What went to this client between the two reports was counted by the broker too.
        long ownSince = ownCounter.applyAsLong(last) - ownCounter.applyAsLong(first);
        return (last.value - first.value - ownSince) / ((last.nanos - first.nanos) / 1e9);
    }

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : -1;
    }

    @Override
    public void close() {
        if (client.isConnected()) {
            try {
                client.disconnect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // closing anyway
            }
        }
    }
}
