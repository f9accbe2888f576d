package io.edgebridge.mqtt.client;

/** A PUBLISH to send. */
public record OutgoingPublish(String topic, byte[] payload, int qos, boolean retain, PublishProperties properties) {}
