package io.customerbus.gateway.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.json.CustomerEventJson;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * An event with the SHA-256 of its content as JSON with sorted keys: a retry whose body lists the
 * same fields in another order is the same event; a changed value is not.
 */
public record Fingerprint(UUID eventId, String eventType, byte[] hash, CustomerEvent event) {

    private static final ObjectMapper CANONICAL =
            CustomerEventJson.mapper()
                    .copy()
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public static Fingerprint of(CustomerEvent event) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(event);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical);
            return new Fingerprint(event.eventId(), event.eventType(), hash, event);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("an event is always hashable", e);
        }
    }
}
