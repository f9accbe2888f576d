package io.edgebridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.mqtt.client.ConnectRefusedException;
import io.edgebridge.mqtt.client.ConnectionClosedException;
import io.edgebridge.mqtt.client.MqttProtocol;
import io.vertx.core.net.NetClientOptions;
import org.junit.jupiter.api.Test;

/** Refusals in words an operator acts on: the key to fix, never a bare code. */
class ConnectFailuresTest {

    private static String refused(MqttProtocol protocol, int code) {
        return ConnectFailures.describe(new ConnectRefusedException(protocol, code, null));
    }

    @Test
    void credentialsAndAclRefusalsNameTheKeys() {
        assertTrue(refused(MqttProtocol.V3_1_1, 4).contains("check bridge.mqtt.username and bridge.mqtt.password"));
        assertTrue(refused(MqttProtocol.V5, 0x86).contains("check bridge.mqtt.username and bridge.mqtt.password"));
        assertTrue(refused(MqttProtocol.V5, 0x87).contains("not authorized"));
        assertTrue(refused(MqttProtocol.V3_1_1, 2).contains("bridge.mqtt.client-id"));
    }

    @Test
    void aBrokerWithoutMqtt5IsToldApartWhicheverCodeItUses() {
        assertTrue(refused(MqttProtocol.V5, 0x84).contains("set bridge.mqtt.protocol=3.1.1"));
        assertTrue(refused(MqttProtocol.V5, 0x01).contains("set bridge.mqtt.protocol=3.1.1"), "3.1.1's own code");
        assertTrue(refused(MqttProtocol.V3_1_1, 1).contains("set bridge.mqtt.protocol"));
    }

    @Test
    void aTlsConnectionClosedBeforeConnackPointsAtClientCertificates() {
        NetClientOptions tls = new NetClientOptions().setSsl(true);
        String reason = ConnectFailures.describeAttempt(new ConnectionClosedException(null), tls);
        assertTrue(reason.contains("bridge.mqtt.tls.cert-file"), reason);
    }
}
