package io.edgebridge.mqtt;

import io.edgebridge.config.MqttTlsConfig;
import io.edgebridge.health.ConnectionStatus;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * The MQTT TLS files (CA, client certificate and key), read again for every connection so rotated files
 * (cert-manager, a renewed Secret) are used without a restart. {@link #changed()} tells a session to reconnect.
 * One instance per connection: it remembers what that connection was opened with.
 */
final class TlsFiles {

    private static final Logger LOG = Logger.getLogger(TlsFiles.class);

    private final Optional<Path> ca;
    private final Optional<Path> cert;
    private final Optional<Path> key;
    private byte[] applied = new byte[0];

    TlsFiles(MqttTlsConfig tls) {
        this.ca = tls.enabled() ? tls.caFile() : Optional.empty();
        this.cert = tls.enabled() ? tls.certFile() : Optional.empty();
        this.key = tls.enabled() ? tls.keyFile() : Optional.empty();
    }

    boolean any() {
        return ca.isPresent() || cert.isPresent();
    }

    /**
     * The options for one connection attempt: {@code base} with the files' current contents. When one cannot be
     * read (mid-rotation, removed), the connection's status says so, logged once per change, and the answer is
     * null: the caller retries with backoff.
     */
    NetClientOptions forAttempt(NetClientOptions base, ConnectionStatus status, String connection) {
        NetClientOptions options = new NetClientOptions(base);
        try {
            applyTo(options);
            return options;
        } catch (UncheckedIOException e) {
            if (status.update(false, e.getMessage())) {
                LOG.errorf("%s not attempted: %s; retrying with backoff", connection, e.getMessage());
            }
            return null;
        }
    }

    /** Sets the files' current contents on the options (by value, so nothing caches an older version). */
    private synchronized void applyTo(NetClientOptions options) {
        byte[] caPem = read(ca);
        byte[] certPem = read(cert);
        byte[] keyPem = read(key);
        if (caPem != null) {
            options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(caPem)));
        }
        if (certPem != null && keyPem != null) {
            options.setKeyCertOptions(
                    new PemKeyCertOptions().setCertValue(Buffer.buffer(certPem)).setKeyValue(Buffer.buffer(keyPem)));
        }
        applied = digest(caPem, certPem, keyPem);
    }

    /** Whether the files now differ from what the last connection was opened with; unreadable counts as not yet. */
    synchronized boolean changed() {
        try {
            return !Arrays.equals(applied, digest(read(ca), read(cert), read(key)));
        } catch (UncheckedIOException e) {
            return false; // mid-rotation, or gone: the next connection attempt reports it
        }
    }

    /** Checks the files every {@code interval}, off the event loop, until {@code stopped}; calls {@code onChange}. */
    void watch(Vertx vertx, Duration interval, BooleanSupplier stopped, Runnable onChange) {
        if (!any() || interval.isZero() || interval.isNegative()) {
            return;
        }
        vertx.setPeriodic(interval.toMillis(), id -> {
            if (stopped.getAsBoolean()) {
                vertx.cancelTimer(id);
                return;
            }
            vertx.executeBlocking(this::changed, false).onSuccess(changed -> {
                if (changed) {
                    onChange.run();
                }
            });
        });
    }

    private static byte[] read(Optional<Path> file) {
        if (file.isEmpty()) {
            return null;
        }
        try {
            return Files.readAllBytes(file.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.get() + ": " + e, e);
        }
    }

    private static byte[] digest(byte[]... contents) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] content : contents) {
                sha.update(content == null ? new byte[] {0} : content);
                sha.update((byte) 1);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
