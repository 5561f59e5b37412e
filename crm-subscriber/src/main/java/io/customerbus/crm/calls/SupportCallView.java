package io.customerbus.crm.calls;

import java.time.Instant;
import java.util.UUID;

/** A logged support call and the event that carries it on the bus. */
public record SupportCallView(
        UUID callId,
        UUID eventId,
        String userId,
        String channel,
        String summary,
        String agent,
        Instant occurredAt) {}
