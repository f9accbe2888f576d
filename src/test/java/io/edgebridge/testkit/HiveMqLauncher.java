package io.edgebridge.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The main class of the HiveMQ CE broker's own JVM ({@link HiveMqBroker} starts it): runs {@code EmbeddedHiveMQ} on
 * a config, data and extensions folder, prints {@link #READY} once it listens, and stops it cleanly on SIGTERM.
 * HiveMQ is on that JVM's classpath only, never on the tests', so it is reached by reflection here.
 *
 * <p>Arguments: config folder, data folder, extensions folder, the most unacknowledged QoS 1/2 messages it sends
 * one client (HiveMQ's internal {@code MAX_INFLIGHT_WINDOW_SIZE_MESSAGES}, 50 unless changed), and optionally a user
 * name and password: then only that pair may connect, every other CONNECT is refused with "bad user name or
 * password" (0x86, MQTT 3.1.1 return code 4).
 */
public final class HiveMqLauncher {

    public static final String READY = "edge-bridge hivemq launcher: ready";

    private static final String SDK = "com.hivemq.extension.sdk.api.";

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
        if (args.length >= 6) {
            Object extension = passwordExtension(args[4], args[5].getBytes(StandardCharsets.UTF_8));
            builderType
                    .getMethod("withEmbeddedExtension", Class.forName("com.hivemq.embedded.EmbeddedExtension"))
                    .invoke(builder, extension);
        }
        Object broker = builderType.getMethod("build").invoke(builder);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close(brokerType, broker);
            stopped.countDown();
        }));
        // Should the JVM that started this one (a test, the demo) end without stopping it, stop too: no orphan.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
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

    /**
     * HiveMQ CE checks no passwords itself: an embedded extension registers a {@code SimpleAuthenticator} that lets
     * in {@code username} with {@code password} only. The SDK's interfaces are implemented as proxies, defined in
     * this class's loader, which HiveMQ then takes as the extension's class loader.
     */
    private static Object passwordExtension(String username, byte[] password) throws ReflectiveOperationException {
        Class<?> reasonType = Class.forName(SDK + "packets.connect.ConnackReasonCode");
        Object badCredentials = reasonType.getField("BAD_USER_NAME_OR_PASSWORD").get(null);
        Method connectPacket =
                Class.forName(SDK + "auth.parameter.SimpleAuthInput").getMethod("getConnectPacket");
        Class<?> packetType = Class.forName(SDK + "packets.connect.ConnectPacket");
        Method userNameOf = packetType.getMethod("getUserName");
        Method passwordOf = packetType.getMethod("getPassword");
        Class<?> outputType = Class.forName(SDK + "auth.parameter.SimpleAuthOutput");
        Method succeed = outputType.getMethod("authenticateSuccessfully");
        Method refuse = outputType.getMethod("failAuthentication", reasonType, String.class);
        // SimpleAuthenticator.onConnect(SimpleAuthInput input, SimpleAuthOutput output), once per CONNECT.
        Object authenticator = implement("auth.SimpleAuthenticator", (method, arguments) -> {
            Object packet = connectPacket.invoke(arguments[0]);
            boolean userMatches = ((Optional<?>) userNameOf.invoke(packet))
                    .filter(username::equals)
                    .isPresent();
            boolean passwordMatches = ((Optional<?>) passwordOf.invoke(packet))
                    .map(given -> MessageDigest.isEqual(bytes((ByteBuffer) given), password))
                    .orElse(false);
            if (userMatches && passwordMatches) {
                succeed.invoke(arguments[1]);
            } else {
                refuse.invoke(arguments[1], badCredentials, "bad user name or password");
            }
            return null;
        });
        Class<?> providerType = Class.forName(SDK + "services.auth.provider.AuthenticatorProvider");
        Object provider =
                implement("services.auth.provider.AuthenticatorProvider", (method, arguments) -> authenticator);
        Method securityRegistry = Class.forName(SDK + "services.Services").getMethod("securityRegistry");
        Method setProvider = Class.forName(SDK + "services.auth.SecurityRegistry")
                .getMethod("setAuthenticatorProvider", providerType);
        Object main = implement("ExtensionMain", (method, arguments) -> {
            if (method.getName().equals("extensionStart")) {
                setProvider.invoke(securityRegistry.invoke(null), provider);
            }
            return null;
        });
        Class<?> builderType = Class.forName("com.hivemq.embedded.EmbeddedExtensionBuilder");
        Object builder = Class.forName("com.hivemq.embedded.EmbeddedExtension")
                .getMethod("builder")
                .invoke(null);
        builderType.getMethod("withId", String.class).invoke(builder, "edge-bridge-passwords");
        builderType.getMethod("withName", String.class).invoke(builder, "edge-bridge passwords");
        builderType.getMethod("withVersion", String.class).invoke(builder, "1");
        builderType
                .getMethod("withExtensionMain", Class.forName(SDK + "ExtensionMain"))
                .invoke(builder, main);
        return builderType.getMethod("build").invoke(builder);
    }

    /** What a proxy does when HiveMQ calls one of its SDK interface's methods. */
    private interface Answer {
        Object call(Method method, Object[] arguments) throws ReflectiveOperationException;
    }

    private static Object implement(String sdkInterface, Answer answer) throws ClassNotFoundException {
        Class<?> type = Class.forName(SDK + sdkInterface);
        return Proxy.newProxyInstance(
                HiveMqLauncher.class.getClassLoader(), new Class<?>[] {type}, (proxy, method, arguments) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == arguments[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "edge-bridge " + type.getSimpleName();
                        };
                    }
                    return answer.call(method, arguments);
                });
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
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
