package io.edgebridge.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway PKI for tests and the demo: a CA, a broker certificate for localhost/127.0.0.1 and a client
 * certificate, written as PEM files (and a PKCS#12 keystore for Java brokers). Made in Java, so no openssl is needed.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    public final Path dir;
    public final Path caCert;
    public final Path serverCert;
    public final Path serverKey;
    public final Path serverKeystore;
    public final Path clientCert;
    public final Path clientKey;
    public final X509Certificate ca;
    public static final String KEYSTORE_PASSWORD = "changeit";

    private TestCertificates(Path dir, X509Certificate ca) {
        this.dir = dir;
        this.ca = ca;
        this.caCert = dir.resolve("ca.pem");
        this.serverCert = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server-key.pem");
        this.serverKeystore = dir.resolve("server.p12");
        this.clientCert = dir.resolve("client.pem");
        this.clientKey = dir.resolve("client-key.pem");
    }

    /** Creates a fresh CA, server and client certificate in {@code dir}. */
    public static TestCertificates create(Path dir, String caName) {
        try {
            Files.createDirectories(dir);
            KeyPair caKeys = keys();
            X500Name caSubject = new X500Name("CN=" + caName);
            X509Certificate ca = sign(caSubject, caKeys, caSubject, caKeys, true, null, null);
            TestCertificates certs = new TestCertificates(dir, ca);
            KeyPair serverKeys = keys();
            GeneralNames names = new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            });
            X509Certificate server = sign(
                    new X500Name("CN=localhost"),
                    serverKeys,
                    caSubject,
                    caKeys,
                    false,
                    names,
                    KeyPurposeId.id_kp_serverAuth);
            KeyPair clientKeys = keys();
            X509Certificate client = sign(
                    new X500Name("CN=edge-bridge"),
                    clientKeys,
                    caSubject,
                    caKeys,
                    false,
                    null,
                    KeyPurposeId.id_kp_clientAuth);
            pem(certs.caCert, ca);
            pem(certs.serverCert, server);
            pem(certs.serverKey, new JcaPKCS8Generator(serverKeys.getPrivate(), null));
            pem(certs.clientCert, client);
            pem(certs.clientKey, new JcaPKCS8Generator(clientKeys.getPrivate(), null));
            KeyStore keystore = KeyStore.getInstance("PKCS12");
            keystore.load(null, null);
            keystore.setKeyEntry(
                    "server", serverKeys.getPrivate(), KEYSTORE_PASSWORD.toCharArray(), new Certificate[] {server, ca});
            try (OutputStream out = Files.newOutputStream(certs.serverKeystore)) {
                keystore.store(out, KEYSTORE_PASSWORD.toCharArray());
            }
            return certs;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test certificates in " + dir, e);
        }
    }

    /** Certificates created earlier in {@code dir}. */
    public static TestCertificates load(Path dir) {
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            X509Certificate ca =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return new TestCertificates(dir, ca);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load test certificates from " + dir, e);
        }
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(
            X500Name subject,
            KeyPair subjectKeys,
            X500Name issuer,
            KeyPair issuerKeys,
            boolean isCa,
            GeneralNames altNames,
            KeyPurposeId purpose)
            throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))),
                subject,
                subjectKeys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(
                Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
        builder.addExtension(
                Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        if (altNames != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, altNames);
        }
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static void pem(Path file, Object object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file);
                JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
    }

    /** An SSL context that trusts only this CA, for simulated devices and test clients. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a PKCS#12 trust store holding only this CA, protected by {@code password}; returns its path. */
    public Path trustStore(String password) {
        Path file = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            trust.store(out, password.toCharArray());
            return file;
        } catch (Exception e) {
            throw new IllegalStateException("cannot write a trust store in " + dir, e);
        }
    }
}
