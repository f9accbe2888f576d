package io.edgebridge.api;

import io.edgebridge.config.BridgeConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.security.spi.runtime.AuthorizationController;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Authentication of the command API is on unless {@code bridge.api.auth.enabled=false}; when on, a verification
 * key must be configured, or the bridge does not start. Turning it off turns off the {@code @RolesAllowed} checks.
 */
@Alternative
@Priority(Interceptor.Priority.LIBRARY_AFTER)
@ApplicationScoped
public class ApiSecurity extends AuthorizationController {

    static final String KEY_LOCATION = "mp.jwt.verify.publickey.location";
    static final String KEY = "mp.jwt.verify.publickey";

    private static final Logger LOG = Logger.getLogger(ApiSecurity.class);

    @Inject
    BridgeConfig config;

    @Inject
    Config mpConfig;

    @Override
    public boolean isAuthorizationEnabled() {
        return config.api().auth().enabled();
    }

    void check(@Observes StartupEvent start) {
        if (!config.api().auth().enabled()) {
            LOG.warn("The command API accepts requests without authentication (bridge.api.auth.enabled=false):"
                    + " anyone who reaches the HTTP port can send commands to devices. For local demos only.");
            return;
        }
        Optional<String> location = mpConfig.getOptionalValue(KEY_LOCATION, String.class);
        if (location.isEmpty() && mpConfig.getOptionalValue(KEY, String.class).isEmpty()) {
            throw new ConfigurationException(
                    KEY_LOCATION + " is not set: the command API needs a key to verify bearer tokens (a PEM"
                            + " public key file or a JWKS URL), or bridge.api.auth.enabled=false for a local demo",
                    Set.of(KEY_LOCATION));
        }
        location.filter(ApiSecurity::isLocalFile).map(ApiSecurity::path).ifPresent(file -> {
            if (!Files.isReadable(file)) {
                throw new ConfigurationException(
                        KEY_LOCATION + " file " + file + " does not exist or is not readable", Set.of(KEY_LOCATION));
            }
        });
        LOG.infof(
                "The command API verifies bearer tokens with %s%s",
                location.orElse(KEY),
                mpConfig.getOptionalValue("mp.jwt.verify.issuer", String.class)
                        .map(i -> ", issuer " + i)
                        .orElse(""));
    }

    private static boolean isLocalFile(String location) {
        return !location.contains(":") || location.startsWith("file:");
    }

    private static Path path(String location) {
        return Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
    }
}
