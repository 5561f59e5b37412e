package io.customerbus.console.support;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.time.Duration;
import java.util.Set;

/** Tokens for tests, signed with the key pair Quarkus makes and trusts in test mode. */
public final class Tokens {

    private Tokens() {}

    public static String withRole(String user, String role) {
        return signed(Jwt.subject(user), role);
    }

    /** A token that names its holder by upn alone, as a token without sub may. */
    public static String withRoleNamedByUpn(String user, String role) {
        return signed(Jwt.upn(user), role);
    }

    private static String signed(JwtClaimsBuilder holder, String role) {
        return holder.issuer("customer-event-bus")
                .audience("customer-event-bus")
                .groups(Set.of(role))
                .expiresIn(Duration.ofMinutes(10))
                .sign();
    }
}
