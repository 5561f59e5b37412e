package io.customerbus.gateway.intake;

import io.customerbus.events.json.ValidEvent;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * An event with the SHA-256 of its JSON, keys sorted: a retry whose body lists the same fields in
 * another order is the same event; a changed value is not.
 */
public record Fingerprint(UUID eventId, String eventType, byte[] hash, ValidEvent valid) {

    public static Fingerprint of(ValidEvent valid) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(valid.json());
            return new Fingerprint(valid.event().eventId(), valid.event().eventType(), hash, valid);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public UUID eventId() {
        return valid.event().eventId();
    }

    public String eventType() {
        return valid.event().eventType();
    }
}
