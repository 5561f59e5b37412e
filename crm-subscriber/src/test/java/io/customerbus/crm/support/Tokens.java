package io.customerbus.crm.support;

import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.util.Set;

/** Bearer tokens signed with the key pair Quarkus makes and trusts in tests. */
public final class Tokens {

    private Tokens() {}

    public static String agent() {
        return token("agent-1", Set.of("crm-agent"));
    }

    public static String token(String subject, Set<String> roles) {
        return Jwt.issuer("customer-event-bus")
                .audience("customer-event-bus")
                .subject(subject)
                .groups(roles)
                .expiresIn(Duration.ofMinutes(10))
                .sign();
    }
}
