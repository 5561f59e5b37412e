package io.customerbus.analytics.store;

import java.time.Instant;
import java.util.UUID;

/** One event as the aggregates see it: when (UTC buckets), what type, who, and any sale. */
public record EventEffect(
        UUID eventId, String type, String userId, Instant occurredAt, Sale sale) {}
