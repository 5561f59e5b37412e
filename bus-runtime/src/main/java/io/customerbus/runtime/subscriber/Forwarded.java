package io.customerbus.runtime.subscriber;

import io.customerbus.events.kafka.BusHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** A record copied to another topic (key, value, headers) with headers added or replaced. */
final class Forwarded {

    /** Where a record in a retry topic came from on the bus; carried along to its dead letter. */
    static final String ORIGIN_TOPIC = "retry-original-topic";

    static final String ORIGIN_PARTITION = "retry-original-partition";
    static final String ORIGIN_OFFSET = "retry-original-offset";

    private Forwarded() {}

    /**
     * The record's place on the bus, by the names {@code topic}, {@code partition}, {@code offset}:
     * carried in its headers when it is a copy already (in a retry topic, or a dead letter being
     * re-driven), else its own. An operator looks a dead letter's original up there, not in the
     * retry topic it last failed in.
     */
    static Map<String, String> origin(
            ConsumerRecord<String, byte[]> record, String topic, String partition, String offset) {
        for (String[] names :
                new String[][] {
                    {ORIGIN_TOPIC, ORIGIN_PARTITION, ORIGIN_OFFSET},
                    {
                        DeadLetters.ORIGINAL_TOPIC,
                        DeadLetters.ORIGINAL_PARTITION,
                        DeadLetters.ORIGINAL_OFFSET
                    }
                }) {
            String carried = BusHeaders.text(record.headers(), names[0]);
            if (carried != null) {
                return Map.of(
                        topic,
                        carried,
                        partition,
                        String.valueOf(BusHeaders.text(record.headers(), names[1])),
                        offset,
                        String.valueOf(BusHeaders.text(record.headers(), names[2])));
            }
        }
        return Map.of(
                topic,
                record.topic(),
                partition,
                Integer.toString(record.partition()),
                offset,
                Long.toString(record.offset()));
    }

    static ProducerRecord<String, byte[]> copy(
            ConsumerRecord<String, byte[]> record, String topic, Map<String, String> headers) {
        return new ProducerRecord<>(
                topic,
                null,
                record.key(),
                record.value(),
                with(new RecordHeaders(record.headers().toArray()), headers));
    }

    /** Headers of the given texts only. */
    static Headers headers(Map<String, String> headers) {
        return with(new RecordHeaders(), headers);
    }

    private static Headers with(Headers base, Map<String, String> headers) {
        headers.forEach(
                (name, value) ->
                        base.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8)));
        return base;
    }
}
