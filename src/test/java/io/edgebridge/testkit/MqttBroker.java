package io.edgebridge.testkit;

/** A running MQTT broker with TLS and password authentication, as tests and the demo see it. */
public interface MqttBroker extends AutoCloseable {

    String host();

    int port();

    String username();

    String password();

    TestCertificates certificates();

    @Override
    void close();
}
