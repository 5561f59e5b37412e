package io.customerbus.console.support;

import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.util.Set;

/** Tokens for tests, signed with the key pair Quarkus makes and trusts in test mode. */
public final class Tokens {

    private Tokens() {}

    public static String withRole(String user, String role) {
        return Jwt.issuer("customer-event-bus")
                .audience("customer-event-bus")
                .subject(user)
                .groups(Set.of(role))
                .expiresIn(Duration.ofMinutes(10))
                .sign();
    }

    /** A token that names its holder by upn alone, as a token without sub may. */
    public static String withRoleNamedByUpn(String user, String role) {
        return Jwt.issuer("customer-event-bus")
                .audience("customer-event-bus")
                .upn(user)
                .groups(Set.of(role))
                .expiresIn(Duration.ofMinutes(10))
                .sign();
    }
}
