package io.customerbus.runtime.subscriber;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** A record copied to another topic (key, value, headers) with headers added or replaced. */
final class Forwarded {

    private Forwarded() {}

    static ProducerRecord<String, byte[]> copy(
            ConsumerRecord<String, byte[]> record, String topic, Map<String, String> headers) {
        ProducerRecord<String, byte[]> copy =
                new ProducerRecord<>(
                        topic,
                        null,
                        record.key(),
                        record.value(),
                        new RecordHeaders(record.headers().toArray()));
        headers.forEach(
                (name, value) -> {
                    copy.headers().remove(name);
                    copy.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
                });
        return copy;
    }
}
