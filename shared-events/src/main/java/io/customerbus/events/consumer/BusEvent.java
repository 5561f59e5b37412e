package io.customerbus.events.consumer;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.kafka.TraceContext;
import java.util.Optional;

/**
 * An event as a subscriber receives it: valid, of a wanted type, with its trace context, where it
 * sits on the bus, and whether it is history being replayed rather than a live event.
 */
public record BusEvent(
        CustomerEvent event,
        Optional<TraceContext> trace,
        int partition,
        long offset,
        boolean replayed) {}
