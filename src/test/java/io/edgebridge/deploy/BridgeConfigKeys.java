package io.edgebridge.deploy;

import io.edgebridge.config.BridgeConfig;
import io.smallrye.config.ConfigMapping;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The environment variables the bridge reads, derived from the code rather than listed by hand: every key of
 * the {@code BridgeConfig} mapping, SmallRye JWT's verification keys, and every Kafka client setting under
 * {@code kafka.} (Kafka's own config definitions), each in the env form SmallRye Config maps back (upper case,
 * {@code .} and {@code -} as {@code _}).
 */
final class BridgeConfigKeys {

    private static final Set<String> ENV_NAMES = collect();

    private BridgeConfigKeys() {}

    static boolean isEnvName(String name) {
        return ENV_NAMES.contains(name);
    }

    static Set<String> envNames() {
        return ENV_NAMES;
    }

    /** Every {@code bridge.*} key of the configuration contract, in its dotted form. */
    static Set<String> bridgeKeys() {
        Set<String> keys = new TreeSet<>();
        bridgeKeys(BridgeConfig.class.getAnnotation(ConfigMapping.class).prefix(), BridgeConfig.class, keys);
        return keys;
    }

    static String envForm(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static Set<String> collect() {
        Set<String> keys = new TreeSet<>();
        bridgeKeys(BridgeConfig.class.getAnnotation(ConfigMapping.class).prefix(), BridgeConfig.class, keys);
        for (Set<String> kafka :
                Set.of(ProducerConfig.configNames(), ConsumerConfig.configNames(), AdminClientConfig.configNames())) {
            kafka.forEach(name -> keys.add("kafka." + name));
        }
        // The command API's token verification: SmallRye JWT's standard keys, documented in docs/configuration.md.
        keys.addAll(Set.of(
                "mp.jwt.verify.publickey.location",
                "mp.jwt.verify.publickey",
                "mp.jwt.verify.issuer",
                "smallrye.jwt.path.groups"));
        Set<String> env = new TreeSet<>();
        keys.forEach(key -> env.add(envForm(key)));
        return env;
    }

    /** SmallRye's default naming: a method is a kebab-case key; a group interface of config/ is a key prefix. */
    private static void bridgeKeys(String prefix, Class<?> mapping, Set<String> keys) {
        for (Method method : mapping.getMethods()) {
            if (method.getParameterCount() > 0 || Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            String key = prefix + "."
                    + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getPackageName().equals(BridgeConfig.class.getPackageName())) {
                bridgeKeys(key, type, keys);
            } else {
                keys.add(key);
            }
        }
    }
}
