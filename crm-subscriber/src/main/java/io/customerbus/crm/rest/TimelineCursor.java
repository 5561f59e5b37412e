package io.customerbus.crm.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of a timeline ended: its last entry's time and id (the timeline's order), opaque to
 * clients. The next page is what comes after it, so events that arrive meanwhile — newer ones, on
 * top — neither repeat an entry nor skip one, as counting pages from the top did.
 */
public record TimelineCursor(Instant occurredAt, UUID eventId) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** An event's time is from 1970 on (the carriage rules) and has four digits of year. */
    private static final Instant YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z");

    /** JAX-RS converts the query parameter with this; a failure is a 400. */
    public static TimelineCursor fromString(String text) {
        try {
            String decoded =
                    new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int bar = decoded.indexOf('|');
            Instant occurredAt = Instant.parse(decoded.substring(0, bar));
            // Only a time an event can have: the database's timestamps end far short of what
            // Instant reads (year -1,000,000,000), and one beyond them was a 500.
            if (occurredAt.isBefore(Instant.EPOCH) || !occurredAt.isBefore(YEAR_10000)) {
                throw new IllegalArgumentException("no event has the time " + occurredAt);
            }
            return new TimelineCursor(occurredAt, UUID.fromString(decoded.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "'after' takes the 'next' of a timeline page, not '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return ENCODER.encodeToString(
                (occurredAt + "|" + eventId).getBytes(StandardCharsets.UTF_8));
    }
}
