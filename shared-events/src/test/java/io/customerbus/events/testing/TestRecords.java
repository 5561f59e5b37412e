package io.customerbus.events.testing;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;

/** Records as a subscriber reads them, for tests of what it does with one (dead-letter it, ...). */
public final class TestRecords {

    private TestRecords() {}

    /** The record a subscriber would have read at that offset of partition 0. */
    public static ConsumerRecord<String, byte[]> consumed(
            ProducerRecord<String, byte[]> original, long offset) {
        return new ConsumerRecord<>(
                original.topic(),
                0,
                offset,
                0L,
                TimestampType.CREATE_TIME,
                0,
                0,
                original.key(),
                original.value(),
                original.headers(),
                Optional.empty());
    }
}
