package io.customerbus.runtime.subscriber;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.TraceContext;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An event as a subscriber receives it: valid, of a wanted type, with its trace context, whether it
 * is history being replayed rather than a live event, and the record it came in (its position,
 * headers and JSON exactly as published, which stores keep as received).
 */
public record BusEvent(
        CustomerEvent event,
        Optional<TraceContext> trace,
        boolean replayed,
        ConsumerRecord<String, byte[]> record) {

    public int partition() {
        return record.partition();
    }

    public long offset() {
        return record.offset();
    }

    public byte[] payload() {
        return record.value();
    }

    /** A header's text, or null when the record has none of that name. */
    public String header(String name) {
        return BusHeaders.text(record.headers(), name);
    }
}
