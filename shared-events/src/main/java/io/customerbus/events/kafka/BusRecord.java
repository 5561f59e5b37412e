package io.customerbus.events.kafka;

import io.customerbus.events.CustomerEvent;
import java.util.Optional;

/** What a subscriber gets from a bus record: an event to handle, or a type it does not want. */
public sealed interface BusRecord {

    /** A valid event of a wanted type, with the trace context of the request that caused it. */
    record Wanted(CustomerEvent event, Optional<TraceContext> trace) implements BusRecord {}

    /** A record of a type the subscriber filtered out; its body was never read. */
    record Unwanted(String eventType) implements BusRecord {}
}
