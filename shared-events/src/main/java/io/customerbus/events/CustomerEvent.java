package io.customerbus.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The one message format of the bus. Field names are the JSON names; {@code data} holds the
 * type-specific fields so that new event types never change this record (evolution is additive).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CustomerEvent(
        UUID eventId,
        String eventType,
        String userId,
        String productId,
        Instant occurredAt,
        String source,
        int schemaVersion,
        Map<String, Object> data) {

    /** The schema version this library writes and the newest it can read. */
    public static final int CURRENT_SCHEMA_VERSION = 1;

    public CustomerEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(source, "source");
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** A text field of {@code data}, or null when absent. */
    public String dataText(String field) {
        Object value = data.get(field);
        return value == null ? null : value.toString();
    }

    /** A numeric field of {@code data} as an exact decimal, or null when absent. */
    public BigDecimal dataDecimal(String field) {
        Object value = data.get(field);
        if (value == null) {
            return null;
        }
        return value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString());
    }
}
