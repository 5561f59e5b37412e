package io.customerbus.purchase.support;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Tokens for tests. In test mode Quarkus generates an in-memory key pair and trusts it (no key is
 * committed or configured); tokens signed with it are valid, a stranger's key proves rejection.
 */
public final class TestJwt {

    public static final String ISSUER = "customer-event-bus";
    public static final String AUDIENCE = "customer-event-bus";

    private static final KeyPair STRANGER = generate();

    private TestJwt() {}

    /** A valid customer token. */
    public static String customer(String userId) {
        return claims(userId, Set.of()).sign();
    }

    public static String withRoles(String userId, String... roles) {
        return claims(userId, Set.of(roles)).sign();
    }

    /** Valid, naming its holder by upn only: no sub. */
    public static String withoutSubject(String upn) {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .upn(upn)
                .expiresIn(Duration.ofMinutes(10))
                .sign();
    }

    /** A valid customer token whose email claim is {@code email}, whatever its type. */
    public static String withEmail(String userId, Object email) {
        return claims(userId, Set.of()).claim("email", email).sign();
    }

    public static String signedByStranger(String userId) {
        return claims(userId, Set.of()).jws().sign(STRANGER.getPrivate());
    }

    public static String expired(String userId) {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        return claims(userId, Set.of()).issuedAt(past).expiresAt(past.plusSeconds(60)).sign();
    }

    public static String forAudience(String userId, String audience) {
        return claims(userId, Set.of()).audience(audience).sign();
    }

    public static String fromIssuer(String userId, String issuer) {
        return claims(userId, Set.of()).issuer(issuer).sign();
    }

    private static JwtClaimsBuilder claims(String userId, Set<String> roles) {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(userId)
                .upn(userId)
                .claim("email", userId + "@example.com")
                .groups(roles)
                .expiresIn(Duration.ofMinutes(10));
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
