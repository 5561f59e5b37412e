package io.customerbus.gateway.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request bodies as publishers write them. */
public final class Events {

    private Events() {}

    /** A common-format event (as a JSON-ready map) of a new id. */
    public static Map<String, Object> event(String type, String userId, Map<String, Object> data) {
        return event(type, userId, null, data);
    }

    /** An event about a product (product-use, purchase, ...). */
    public static Map<String, Object> event(
            String type, String userId, String productId, Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("eventType", type);
        event.put("userId", userId);
        if (productId != null) {
            event.put("productId", productId);
        }
        event.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("source", "whoever-the-body-says");
        event.put("schemaVersion", 1);
        event.put("data", data);
        return event;
    }

    public static Map<String, Object> signUp(String userId) {
        return event(
                "account-created", userId, Map.of("email", userId + "@example.com", "name", "Ada"));
    }

    /** The same event as a structured-mode CloudEvent: attributes, and the event as its data. */
    public static Map<String, Object> structured(Map<String, Object> event) {
        Map<String, Object> cloudEvent = new LinkedHashMap<>();
        cloudEvent.put("specversion", "1.0");
        cloudEvent.put("id", event.get("eventId"));
        cloudEvent.put("type", event.get("eventType"));
        cloudEvent.put("source", "/devices/gateway-test");
        cloudEvent.put("subject", event.get("userId"));
        cloudEvent.put("time", event.get("occurredAt"));
        cloudEvent.put("datacontenttype", "application/json");
        cloudEvent.put("data", event);
        return cloudEvent;
    }

    public static List<Map<String, Object>> structured(List<Map<String, Object>> events) {
        return events.stream().map(Events::structured).toList();
    }

    public static UUID idOf(Map<String, Object> event) {
        return UUID.fromString((String) event.get("eventId"));
    }
}
