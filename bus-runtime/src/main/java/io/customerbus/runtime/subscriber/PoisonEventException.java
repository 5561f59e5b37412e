package io.customerbus.runtime.subscriber;

import java.util.UUID;

/** Thrown by a handler for an event it can never process; the event goes to the DLQ. */
public class PoisonEventException extends RuntimeException {

    private final UUID eventId;

    public PoisonEventException(UUID eventId, String reason) {
        super(reason);
        this.eventId = eventId;
    }

    public UUID eventId() {
        return eventId;
    }
}
