package io.customerbus.runtime.catalog;

import io.customerbus.events.kafka.BusTopics;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The subscriber catalog: every description on the compacted topic, the latest per group (a
 * tombstone removes one). A reader that stays open (the console's) reads only what is new at each
 * {@link #current()}; {@link #read} is one pass for a tool that asks once.
 */
public final class SubscriberCatalog implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> reader;
    private final List<TopicPartition> partitions;
    private final Duration timeout;
    private final Map<String, SubscriberDescription> byGroup = new HashMap<>();

    public SubscriberCatalog(Map<String, Object> connection, Duration timeout) {
        Map<String, Object> config = new HashMap<>(connection);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        this.timeout = timeout;
        this.reader =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            this.partitions =
                    reader.partitionsFor(BusTopics.SUBSCRIBERS, timeout).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** Whether the catalog's topic had no partitions when this reader was opened: not there yet. */
    public boolean topicMissing() {
        return partitions.isEmpty();
    }

    /** One pass over the whole catalog. */
    public static List<SubscriberDescription> read(
            Map<String, Object> connection, Duration timeout) {
        try (SubscriberCatalog catalog = new SubscriberCatalog(connection, timeout)) {
            return catalog.current();
        }
    }

    /** The described subscribers as of now, by name then group. */
    public synchronized List<SubscriberDescription> current() {
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(
                        "reading " + BusTopics.SUBSCRIBERS + " took longer than " + timeout);
            }
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                SubscriberDescription description =
                        record.value() == null
                                ? null
                                : SubscriberDescription.fromJson(record.value());
                if (description == null) {
                    byGroup.remove(record.key());
                } else {
                    byGroup.put(record.key(), description);
                }
            }
        }
        return byGroup.values().stream()
                .sorted(
                        Comparator.comparing(SubscriberDescription::name)
                                .thenComparing(SubscriberDescription::group))
                .toList();
    }

    @Override
    public synchronized void close() {
        reader.close(Duration.ofSeconds(2));
    }
}
