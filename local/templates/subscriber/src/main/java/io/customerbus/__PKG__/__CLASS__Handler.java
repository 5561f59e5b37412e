package io.customerbus.__PKG__;

import io.customerbus.runtime.subscriber.BusEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sample handler: replace it with what this subscriber is for. It shows the two rules every
 * handler keeps: be idempotent by eventId (a batch can be delivered again after a crash or a
 * replay), and check {@link BusEvent#replayed()} before any real-world side effect.
 *
 * <p>It only remembers which events it received, in memory.
 */
@ApplicationScoped
public class __CLASS__Handler {

    private record Received(String type, String userId) {}

    private final Map<UUID, Received> received = new ConcurrentHashMap<>();

    public void handle(List<BusEvent> batch) {
        for (BusEvent event : batch) {
            received.putIfAbsent(
                    event.event().eventId(),
                    new Received(event.event().eventType(), event.event().userId()));
        }
    }

    /** How many distinct events of each type arrived, of one customer or (null) of all. */
    public Map<String, Long> countsByType(String userId) {
        Map<String, Long> counts = new TreeMap<>();
        received.values().stream()
                .filter(r -> userId == null || userId.equals(r.userId()))
                .forEach(r -> counts.merge(r.type(), 1L, Long::sum));
        return counts;
    }
}
