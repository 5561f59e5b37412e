package io.customerbus.gateway.intake;

import io.customerbus.events.json.CarriageRules;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A publishing system, as its token says: {@code sub} is its name — the source of every event it
 * publishes — and the {@code event_types} claim lists the types it may publish.
 */
public record Publisher(String name, Set<String> eventTypes) {

    public static final String ROLE = "event-publisher";
    public static final String TYPES_CLAIM = "event_types";

    public static Publisher of(JsonWebToken token) {
        String name = token.getSubject();
        if (!CarriageRules.isSource(name)) {
            throw new RejectedEvents(
                    403,
                    "Forbidden",
                    "the token's subject must name the publishing system as a URI reference"
                            + " (letters, digits, . _ : / -, such as accounts or"
                            + " /devices/thermostats): it becomes the events' source");
        }
        return new Publisher(name, types(token.getClaim(TYPES_CLAIM)));
    }

    public boolean mayPublish(String eventType) {
        return eventTypes.contains(eventType);
    }

    private static Set<String> types(Object claim) {
        Set<String> types = new LinkedHashSet<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString text) {
                    types.add(text.getString());
                }
            }
        } else if (claim instanceof Collection<?> values) {
            values.forEach(value -> types.add(String.valueOf(value)));
        } else if (claim instanceof JsonString text) {
            types.add(text.getString());
        } else if (claim instanceof String text) {
            types.add(text);
        }
        return Set.copyOf(types);
    }
}
