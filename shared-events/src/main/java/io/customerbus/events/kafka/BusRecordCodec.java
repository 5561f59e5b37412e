package io.customerbus.events.kafka;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.cloudevents.CustomerCloudEvents;
import io.customerbus.events.cloudevents.EventAttributes;
import io.customerbus.events.json.CustomerEventCodec;
import io.customerbus.events.json.InvalidEventException;
import io.customerbus.events.json.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The one place that turns events into Kafka records and back: key = userId, value = the JSON
 * event, CloudEvents 1.0 binary-mode headers written and read by the CloudEvents SDK, and the W3C
 * trace context alongside.
 */
public final class BusRecordCodec {

    private BusRecordCodec() {}

    /** A record for the bus; the event is validated against the schema first. */
    public static ProducerRecord<String, byte[]> encode(
            String topic, CustomerEvent event, Optional<TraceContext> trace) {
        return encodeValidated(
                topic, EventAttributes.of(event), CustomerEventCodec.encode(event), trace);
    }

    /**
     * A record for an event whose body was already validated and encoded, such as an outbox row
     * (validated when it was written, its attributes stored beside it): the hot path of publishing
     * neither validates nor parses the body again.
     */
    public static ProducerRecord<String, byte[]> encodeValidated(
            String topic, EventAttributes event, byte[] body, Optional<TraceContext> trace) {
        CloudEvent cloudEvent = CustomerCloudEvents.of(event, body);
        // The record time is the event time, so replay --to-datetime and lag in seconds mean
        // "when it happened", not "when the relay got to it".
        ProducerRecord<String, byte[]> record =
                KafkaMessageFactory.<String>createWriter(
                                topic, null, event.occurredAt().toEpochMilli(), event.userId())
                        .writeBinary(cloudEvent);
        trace.ifPresent(context -> context.writeTo(record.headers()));
        return record;
    }

    /**
     * Reads a bus record for a subscriber. Unwanted types are decided from the header alone;
     * anything else is either a valid event or an {@link InvalidEventException} whose violations
     * are the dead-letter reason.
     */
    public static BusRecord decode(ConsumerRecord<String, byte[]> record, EventTypeFilter filter) {
        if (!filter.accepts(record.headers())) {
            return new BusRecord.Unwanted(BusHeaders.text(record.headers(), BusHeaders.CE_TYPE));
        }
        CloudEvent cloudEvent;
        try {
            cloudEvent = KafkaMessageFactory.createReader(record).toEvent();
        } catch (RuntimeException e) {
            // The SDK's refusals, and what it trips over in headers no writer of the bus makes (a
            // header without a value): the record goes to the dead-letter topic either way.
            throw new InvalidEventException(
                    new Violation(
                            "headers",
                            "cloudevents",
                            "not a CloudEvents record: "
                                    + (e.getMessage() != null
                                            ? e.getMessage()
                                            : "a header it cannot read ("
                                                    + e.getClass().getSimpleName()
                                                    + ")")));
        }
        CustomerEvent event = CustomerEventCodec.decode(record.value());
        List<Violation> violations = CustomerCloudEvents.inconsistencies(cloudEvent, event, "ce_");
        if (!Objects.equals(record.key(), event.userId())) {
            violations.add(new Violation("key", "consistency", "record key is not the userId"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidEventException(violations);
        }
        return new BusRecord.Wanted(event, TraceContext.readFrom(record.headers()));
    }
}
