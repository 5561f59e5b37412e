package io.customerbus.gateway.support;

import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Tokens of publishing systems for tests, signed with the key pair Quarkus makes and trusts in test
 * mode: sub = the system's name, role event-publisher, event_types = what it may publish.
 */
public final class PublisherTokens {

    private PublisherTokens() {}

    public static String publisher(String name, String... eventTypes) {
        return Jwt.issuer("customer-event-bus")
                .audience("customer-event-bus")
                .subject(name)
                .groups(Set.of("event-publisher"))
                .claim("event_types", List.of(eventTypes))
                .expiresIn(Duration.ofMinutes(10))
                .sign();
    }

    /** A valid token of someone who is not a publisher. */
    public static String customer(String name) {
        return Jwt.issuer("customer-event-bus")
                .audience("customer-event-bus")
                .subject(name)
                .groups(Set.of())
                .expiresIn(Duration.ofMinutes(10))
                .sign();
    }
}
