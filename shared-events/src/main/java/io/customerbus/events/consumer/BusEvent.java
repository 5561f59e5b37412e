package io.customerbus.events.consumer;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.kafka.TraceContext;
import java.util.Optional;

/**
 * An event as a subscriber receives it: valid, of a wanted type, with its trace context, where it
 * sits on the bus, whether it is history being replayed rather than a live event, and its JSON
 * exactly as published (stores keep it as received, unknown fields included).
 */
public record BusEvent(
        CustomerEvent event,
        Optional<TraceContext> trace,
        int partition,
        long offset,
        boolean replayed,
        byte[] payload) {}
