package io.customerbus.events.json;

import io.customerbus.events.CustomerEvent;

/**
 * An event that passed the schema, with its JSON — keys sorted, so the same event always has the
 * same bytes (a content fingerprint). Only {@link CustomerEventCodec} makes one, so whoever holds
 * it need not validate or encode the event again.
 */
public final class ValidEvent {

    private final CustomerEvent event;
    private final byte[] json;

    ValidEvent(CustomerEvent event, byte[] json) {
        this.event = event;
        this.json = json;
    }

    public CustomerEvent event() {
        return event;
    }

    /** The event's JSON, UTF-8, keys sorted; do not modify. */
    public byte[] json() {
        return json;
    }
}
