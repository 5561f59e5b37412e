package io.customerbus.events.kafka;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.header.Headers;

/**
 * Which event types a subscriber wants, decided from the {@code ce_type} header alone so that
 * unwanted records are skipped without parsing their body.
 */
public final class EventTypeFilter {

    private static final String ALL = "*";

    private final Set<String> types;

    private EventTypeFilter(Set<String> types) {
        this.types = types;
    }

    /** A filter for the given types; {@code *} (or no types at all) means every type. */
    public static EventTypeFilter of(Collection<String> types) {
        Set<String> wanted = new TreeSet<>();
        for (String type : types) {
            if (type != null && !type.isBlank()) {
                wanted.add(type.trim());
            }
        }
        return new EventTypeFilter(wanted.contains(ALL) ? Set.of() : Set.copyOf(wanted));
    }

    /** Parses a comma-separated list such as {@code purchase,account-created} or {@code *}. */
    public static EventTypeFilter parse(String commaSeparated) {
        return of(java.util.Arrays.asList(commaSeparated.split(",")));
    }

    public static EventTypeFilter all() {
        return new EventTypeFilter(Set.of());
    }

    public boolean accepts(String eventType) {
        return types.isEmpty() || types.contains(eventType);
    }

    /**
     * A record without a {@code ce_type} header is accepted: it is not a valid bus record, and
     * decoding it is what sends it to the dead-letter topic with a reason instead of dropping it.
     */
    public boolean accepts(Headers headers) {
        String type = BusHeaders.text(headers, BusHeaders.CE_TYPE);
        return type == null || accepts(type);
    }

    /** The types it accepts, sorted; {@code [*]} when it accepts every type. */
    public List<String> names() {
        return types.isEmpty() ? List.of(ALL) : List.copyOf(new TreeSet<>(types));
    }

    public boolean acceptsAll() {
        return types.isEmpty();
    }

    @Override
    public String toString() {
        return String.join(",", names());
    }
}
