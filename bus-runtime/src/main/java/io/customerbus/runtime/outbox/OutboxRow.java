package io.customerbus.runtime.outbox;

import java.time.Instant;

/** A pending outbox row as the relay reads it. */
record OutboxRow(
        long id,
        String eventType,
        String userId,
        String payload,
        String traceparent,
        String tracestate,
        Instant createdAt) {}
