package io.customerbus.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.json.CustomerEventCodec;
import io.customerbus.events.json.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class BusRecordCodecTest {

    private static final TraceContext TRACE =
            new TraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=1");

    private final CustomerEventFactory factory = new CustomerEventFactory("crm-subscriber");
    private final CustomerEvent event =
            factory.create(EventTypes.PRODUCT_USE, "id123", "prod456", Map.of("minutes", 3));

    @Test
    void writesKeyCloudEventsHeadersAndTraceContext() {
        ProducerRecord<String, byte[]> record =
                BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, event, Optional.of(TRACE));

        Headers headers = record.headers();
        assertThat(record.topic()).isEqualTo("customer-events");
        assertThat(record.key()).isEqualTo("id123");
        assertThat(record.timestamp()).isEqualTo(event.occurredAt().toEpochMilli());
        assertThat(BusHeaders.text(headers, "ce_id")).isEqualTo(event.eventId().toString());
        assertThat(BusHeaders.text(headers, "ce_type")).isEqualTo("product-use");
        assertThat(BusHeaders.text(headers, "ce_source")).isEqualTo("crm-subscriber");
        assertThat(BusHeaders.text(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(Instant.parse(BusHeaders.text(headers, "ce_time")))
                .isEqualTo(event.occurredAt());
        assertThat(BusHeaders.text(headers, "ce_subject")).isEqualTo("id123");
        assertThat(BusHeaders.text(headers, "content-type")).isEqualTo("application/json");
        assertThat(BusHeaders.text(headers, "traceparent")).isEqualTo(TRACE.traceparent());
        assertThat(BusHeaders.text(headers, "tracestate")).isEqualTo("vendor=1");
        assertThat(CustomerEventCodec.decode(record.value())).isEqualTo(event);
    }

    @Test
    void readsBackTheEventAndItsTrace() {
        BusRecord read = BusRecordCodec.decode(consumed(encode(event)), EventTypeFilter.all());

        assertThat(read).isEqualTo(new BusRecord.Wanted(event, Optional.of(TRACE)));
    }

    @Test
    void unwantedTypeIsSkippedWithoutReadingTheBody() {
        ProducerRecord<String, byte[]> produced = encode(event);
        byte[] notJson =
                "this is not JSON and would fail any parse".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<String, byte[]> garbageBody = consumed(produced, notJson);

        BusRecord read = BusRecordCodec.decode(garbageBody, EventTypeFilter.parse("purchase"));

        assertThat(read).isEqualTo(new BusRecord.Unwanted("product-use"));
        // The same record, wanted, does reach the parser, which rejects the body.
        assertThatThrownBy(() -> BusRecordCodec.decode(garbageBody, EventTypeFilter.all()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void recordWithoutCloudEventsHeadersIsInvalidNotSkipped() {
        ConsumerRecord<String, byte[]> bare =
                new ConsumerRecord<>(
                        "customer-events", 0, 0, "id123", CustomerEventCodec.encode(event));

        assertThatThrownBy(() -> BusRecordCodec.decode(bare, EventTypeFilter.parse("purchase")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("headers");
    }

    @Test
    void headersThatContradictTheBodyAreInvalid() {
        ProducerRecord<String, byte[]> produced = encode(event);
        BusHeaders.put(produced.headers(), "ce_id", "0b9e6a4e-3c1f-4f55-9a63-2f1d8d0c1a99");
        ConsumerRecord<String, byte[]> record =
                new ConsumerRecord<>("customer-events", 0, 0, "someone-else", produced.value());
        produced.headers().forEach(h -> record.headers().add(h));

        assertThatThrownBy(() -> BusRecordCodec.decode(record, EventTypeFilter.all()))
                .isInstanceOfSatisfying(
                        InvalidEventException.class,
                        e ->
                                assertThat(e.violations())
                                        .extracting(v -> v.field())
                                        .containsExactly("ce_id", "key"));
    }

    @Test
    void aTimeThatContradictsOccurredAtIsInvalidAndAnUpperCaseIdIsTheSameId() {
        ProducerRecord<String, byte[]> produced = encode(event);
        BusHeaders.put(produced.headers(), "ce_time", "2001-01-01T00:00:00Z");
        BusHeaders.put(produced.headers(), "ce_id", event.eventId().toString().toUpperCase());

        assertThatThrownBy(() -> BusRecordCodec.decode(consumed(produced), EventTypeFilter.all()))
                .isInstanceOfSatisfying(
                        InvalidEventException.class,
                        e ->
                                assertThat(e.violations())
                                        .extracting(v -> v.field())
                                        .containsExactly("ce_time"));
    }

    @Test
    void aHeaderWithoutAValueIsAnInvalidRecordNotACrash() {
        ProducerRecord<String, byte[]> produced = encode(event);
        produced.headers().remove("ce_specversion");
        produced.headers().add("ce_specversion", null);

        assertThatThrownBy(() -> BusRecordCodec.decode(consumed(produced), EventTypeFilter.all()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not a CloudEvents record");
    }

    @Test
    void aSecondEventAfterTheFirstIsInvalidNotDropped() {
        ProducerRecord<String, byte[]> produced = encode(event);
        byte[] two =
                (new String(produced.value(), StandardCharsets.UTF_8)
                                + "\n"
                                + new String(produced.value(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(
                        () -> BusRecordCodec.decode(consumed(produced, two), EventTypeFilter.all()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not valid JSON");
    }

    private ProducerRecord<String, byte[]> encode(CustomerEvent e) {
        return BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, e, Optional.of(TRACE));
    }

    private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> sent) {
        return consumed(sent, sent.value());
    }

    private static ConsumerRecord<String, byte[]> consumed(
            ProducerRecord<String, byte[]> sent, byte[] value) {
        ConsumerRecord<String, byte[]> record =
                new ConsumerRecord<>(sent.topic(), 0, 0, sent.key(), value);
        sent.headers().forEach(h -> record.headers().add(h));
        return record;
    }
}
