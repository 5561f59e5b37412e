package io.customerbus.systemtest;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.kafka.BusRecord;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.kafka.EventTypeFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the whole bus from the beginning, in partition order, as a new subscriber would. */
final class BusReader {

    private BusReader() {}

    /**
     * Every event on the bus, in log order, once all expected ids have appeared (or the deadline).
     */
    static List<CustomerEvent> readUntil(
            String bootstrap, Collection<UUID> expected, Duration timeout) {
        Set<UUID> missing = new HashSet<>(expected);
        return read(
                bootstrap,
                timeout,
                events -> {
                    events.forEach(event -> missing.remove(event.eventId()));
                    return missing.isEmpty();
                });
    }

    /**
     * The first {@code count} events on the bus (a fresh bus: all of it), or fewer at the deadline.
     */
    static List<CustomerEvent> readCount(String bootstrap, int count, Duration timeout) {
        return read(bootstrap, timeout, events -> events.size() >= count);
    }

    private static List<CustomerEvent> read(
            String bootstrap, Duration timeout, Predicate<List<CustomerEvent>> done) {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "systest-" + UUID.randomUUID(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest");
        List<CustomerEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(
                        config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(BusTopics.CUSTOMER_EVENTS));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(events) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    events.add(
                            ((BusRecord.Wanted)
                                            BusRecordCodec.decode(record, EventTypeFilter.all()))
                                    .event());
                }
            }
        }
        return events;
    }
}
