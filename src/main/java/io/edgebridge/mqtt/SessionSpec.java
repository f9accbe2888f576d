package io.edgebridge.mqtt;

import io.edgebridge.health.ConnectionStatus;
import io.edgebridge.health.WindowStatus;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * What a telemetry session is made of.
 *
 * @param filters    topic filter -> QoS it subscribes to
 * @param forwards   whether a message on that topic is this session's to forward (hash sharding: its devices)
 * @param mayConnect asked before every connect: is the session still this replica's (its shard owned)?
 */
record SessionSpec(
        MqttEndpoint endpoint,
        Map<String, Integer> filters,
        int maxInFlight,
        long maxInFlightBytes,
        Predicate<String> forwards,
        ConnectionStatus status,
        WindowStatus windowStatus,
        DeliveryProbe probe,
        BooleanSupplier mayConnect) {}
