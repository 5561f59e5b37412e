package io.customerbus.analytics.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One event as the aggregates see it: where it was read (partition and offset, for the position
 * guard), when (UTC buckets), what type, who, and any sale.
 */
public record EventEffect(
        int partition,
        long offset,
        UUID eventId,
        String type,
        String userId,
        Instant occurredAt,
        Sale sale) {}
