package io.customerbus.crm.service;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.EventTypes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What one batch of new events changes in the customer profiles, summed per key so that each key is
 * written once per batch. Only sums, minima and maxima: the result does not depend on the order of
 * the events, which is what makes a replay end with identical profiles.
 */
final class ProfileDeltas {

    record Seen(Instant first, Instant last, long events, Instant lastContact) {}

    final Map<String, Seen> profiles = new HashMap<>();
    final Map<Map.Entry<String, String>, Long> typeCounts = new HashMap<>();
    final Map<Map.Entry<String, String>, BigDecimal> spend = new HashMap<>();
    final Map<Map.Entry<String, String>, Long> products = new HashMap<>();

    void add(CustomerEvent event) {
        String user = event.userId();
        Instant at = event.occurredAt();
        Instant contact = EventTypes.SUPPORT_CALL.equals(event.eventType()) ? at : null;
        profiles.merge(user, new Seen(at, at, 1, contact), ProfileDeltas::combine);
        typeCounts.merge(Map.entry(user, event.eventType()), 1L, Long::sum);
        switch (event.eventType()) {
            case EventTypes.PURCHASE -> {
                spend.merge(
                        Map.entry(user, event.dataText("currency")), total(event), BigDecimal::add);
                products.merge(Map.entry(user, event.productId()), quantity(event), Long::sum);
            }
            case EventTypes.REFUND -> {
                spend.merge(
                        Map.entry(user, event.dataText("currency")),
                        event.dataDecimal("amount").negate(),
                        BigDecimal::add);
                products.merge(Map.entry(user, event.productId()), -quantity(event), Long::sum);
            }
            case EventTypes.PRODUCT_TRANSFER -> {
                products.merge(Map.entry(user, event.productId()), -quantity(event), Long::sum);
                products.merge(
                        Map.entry(event.dataText("toUserId"), event.productId()),
                        quantity(event),
                        Long::sum);
            }
            default -> {
                // Other types are in the timeline and the counts; they change nothing else.
            }
        }
    }

    private static BigDecimal total(CustomerEvent event) {
        BigDecimal total = event.dataDecimal("totalPrice");
        return total != null
                ? total
                : event.dataDecimal("unitPrice").multiply(BigDecimal.valueOf(quantity(event)));
    }

    private static long quantity(CustomerEvent event) {
        BigDecimal quantity = event.dataDecimal("quantity");
        return quantity == null ? 1 : quantity.longValue();
    }

    private static Seen combine(Seen a, Seen b) {
        return new Seen(
                a.first().isBefore(b.first()) ? a.first() : b.first(),
                a.last().isAfter(b.last()) ? a.last() : b.last(),
                a.events() + b.events(),
                latest(a.lastContact(), b.lastContact()));
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
