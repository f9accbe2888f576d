package io.edgebridge.registry;

import io.edgebridge.config.BridgeConfig;
import io.edgebridge.config.FilePoll;
import io.edgebridge.config.FileVersion;
import io.edgebridge.mapping.MappingRule;
import io.edgebridge.mapping.ReservedNames;
import io.edgebridge.mapping.TopicMapper;
import io.edgebridge.metrics.BridgeMetrics;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The device registry file, loaded at startup (a bad file stops startup) and reloaded when it changes
 * (a bad new version is logged and the previous one kept). Polling, not file events: it also sees
 * Kubernetes ConfigMap updates, which swap a symlink.
 */
@Startup
@ApplicationScoped
public class DeviceRegistry {

    private static final Logger LOG = Logger.getLogger(DeviceRegistry.class);

    @Inject
    BridgeConfig config;

    @Inject
    TopicMapper mapper;

    @Inject
    Vertx vertx;

    @Inject
    BridgeMetrics metrics;

    private volatile DeviceDirectory directory = DeviceDirectory.EMPTY;
    private volatile String version = "";
    private Set<String> reserved;
    private FilePoll poll;

    @PostConstruct
    void start() {
        reserved = new HashSet<>(ReservedNames.ATTRIBUTES);
        for (MappingRule rule : mapper.rules()) {
            rule.mqttTopic().segmentNames().forEach(name -> reserved.add(name.toLowerCase(Locale.ROOT)));
        }
        metrics.gauge(
                "edgebridge.registry.devices", "Devices in the loaded device registry", this, r -> r.directory.size());
        if (config.registryFile().isEmpty()) {
            return;
        }
        Path file = config.registryFile().get();
        try {
            version = FileVersion.of(file);
            directory = DeviceDirectory.read(file, reserved);
        } catch (DeviceDirectory.InvalidRegistryException | IOException e) {
            throw new ConfigurationException("bridge.registry-file: " + e.getMessage(), Set.of("bridge.registry-file"));
        }
        LOG.infof("Device registry loaded from %s: %d devices", file, directory.size());
        poll = FilePoll.every(vertx, config.registryReloadInterval(), () -> reloadIfChanged(file));
    }

    @PreDestroy
    void stop() {
        if (poll != null) {
            poll.close();
        }
    }

    public DeviceDirectory directory() {
        return directory;
    }

    synchronized void reloadIfChanged(Path file) {
        String current;
        try {
            current = FileVersion.of(file);
        } catch (IOException e) {
            if (!version.equals("unreadable")) {
                LOG.errorf(
                        "Device registry %s cannot be read (%s); keeping the %d devices loaded before",
                        file, e.getMessage(), directory.size());
                version = "unreadable";
            }
            return;
        }
        if (current.equals(version)) {
            return;
        }
        version = current;
        try {
            directory = DeviceDirectory.read(file, reserved);
            LOG.infof("Device registry reloaded from %s: %d devices", file, directory.size());
        } catch (DeviceDirectory.InvalidRegistryException e) {
            LOG.errorf(
                    "Device registry not reloaded, keeping the %d devices loaded before: %s",
                    directory.size(), e.getMessage());
        }
    }

    /**
     * Takes the segment names of rules loaded while running ({@code telemetry}'s rules reload): registry attributes
     * may not use them either, or an attribute would overwrite the segment's extension. Null when no loaded device
     * has such an attribute (the names are then reserved for later registry versions too), else the clash.
     */
    public synchronized String reserveSegments(Collection<String> segmentNames) {
        Set<String> names = new HashSet<>();
        segmentNames.forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
        for (Map.Entry<String, Map<String, String>> device : directory.devices().entrySet()) {
            for (String attribute : device.getValue().keySet()) {
                if (names.contains(attribute)) {
                    return "device '" + device.getKey() + "' of the registry has an attribute '" + attribute
                            + "', which a topic segment of the new rules sets";
                }
            }
        }
        reserved.addAll(names);
        return null;
    }
}
