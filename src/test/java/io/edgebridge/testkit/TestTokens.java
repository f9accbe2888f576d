package io.edgebridge.testkit;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * A signing key pair for the command API, as an operator's identity provider would have: the bridge gets the
 * public key file ({@code mp.jwt.verify.publickey.location}); tests and the demo sign tokens with the private one.
 * Kept in files so a Quarkus test and its resource (different class loaders) and a bridge process share it.
 */
public final class TestTokens {

    public static final String ISSUER = "https://idp.edge-bridge.test";

    /** The key id tokens carry in their header, as an identity provider with a JWKS sets it. */
    public static final String KEY_ID = "edge-bridge-test-key";

    private final Path publicKey;
    private final PrivateKey privateKey;

    private TestTokens(Path publicKey, PrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /** The pair in {@code dir}, made on first use. */
    public static synchronized TestTokens in(Path dir) {
        Path pub = dir.resolve("jwt-public.pem");
        Path key = dir.resolve("jwt-private.der");
        try {
            if (!Files.exists(key)) {
                Files.createDirectories(dir);
                KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
                Files.writeString(
                        pub,
                        "-----BEGIN PUBLIC KEY-----\n"
                                + Base64.getMimeEncoder(64, "\n".getBytes())
                                        .encodeToString(pair.getPublic().getEncoded())
                                + "\n-----END PUBLIC KEY-----\n");
                Files.write(key, pair.getPrivate().getEncoded());
            }
            PrivateKey signing =
                    KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(key)));
            return new TestTokens(pub, signing);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pair every test of this build shares. */
    public static TestTokens shared() {
        return in(Path.of("target", "test-tokens").toAbsolutePath());
    }

    public Path publicKeyFile() {
        return publicKey;
    }

    /** The public key as a JSON Web Key Set, as an identity provider publishes it. */
    public String jwks() {
        try {
            String pem = Files.readString(publicKey).replaceAll("-----[A-Z ]+-----|\\s", "");
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + KEY_ID
                    + "\",\"n\":\""
                    + url.encodeToString(unsigned(key.getModulus().toByteArray()))
                    + "\",\"e\":\""
                    + url.encodeToString(unsigned(key.getPublicExponent().toByteArray())) + "\"}]}";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(byte[] twosComplement) {
        return twosComplement.length > 1 && twosComplement[0] == 0
                ? Arrays.copyOfRange(twosComplement, 1, twosComplement.length)
                : twosComplement;
    }

    /** What the bridge needs to verify these tokens, as config keys. */
    public Map<String, String> config() {
        return Map.of("mp.jwt.verify.publickey.location", publicKey.toString(), "mp.jwt.verify.issuer", ISSUER);
    }

    /** The same, as env vars. */
    public Map<String, String> environment() {
        return Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString(), "MP_JWT_VERIFY_ISSUER", ISSUER);
    }

    /** A valid token for an hour, with these roles. */
    public String token(String subject, String... roles) {
        return sign(subject, ISSUER, Duration.ofHours(1), roles);
    }

    /** Any token, e.g. expired (negative lifetime) or from another issuer. */
    public String sign(String subject, String issuer, Duration lifetime, String... roles) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(issuer)
                .subject(subject)
                .groups(Set.of(roles))
                .issuedAt(now - 60)
                .expiresAt(now + lifetime.toSeconds())
                .jws()
                .keyId(KEY_ID)
                .sign(privateKey);
    }

    /** The bearer header value. */
    public String bearer(String subject, String... roles) {
        return "Bearer " + token(subject, roles);
    }
}
