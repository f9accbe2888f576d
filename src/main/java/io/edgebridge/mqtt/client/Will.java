package io.edgebridge.mqtt.client;

/** The message the broker publishes when the connection ends without a DISCONNECT. */
public record Will(String topic, byte[] payload, int qos, boolean retain) {}
