package io.customerbus.runtime.subscriber;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.TraceContext;
import io.opentelemetry.api.trace.Span;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An event as a subscriber receives it: valid, of a wanted type, with its trace context, whether it
 * is history being replayed rather than a live event, the record it came in (its position, headers
 * and JSON exactly as published, which stores keep as received), and the span of this subscriber's
 * processing of it, ended by the toolkit once it is applied — a parent for the handler's own spans
 * (a no-op span for history being replayed: an old trace gains nothing from it).
 */
public record BusEvent(
        CustomerEvent event,
        Optional<TraceContext> trace,
        boolean replayed,
        ConsumerRecord<String, byte[]> record,
        Span span) {

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
