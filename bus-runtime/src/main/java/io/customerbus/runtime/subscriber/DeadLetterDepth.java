package io.customerbus.runtime.subscriber;

import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.kafka.KafkaConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How many records wait in a subscriber's dead-letter topic (end minus start offsets, so a purge
 * lowers it), for a gauge. Asked at most every {@code refresh}, since every scrape would otherwise
 * cost a broker round trip.
 */
public final class DeadLetterDepth implements AutoCloseable {

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final Duration refresh;
    private long depth = -1;
    private long askedAt;

    public DeadLetterDepth(String subscriber, String bootstrapServers, Duration refresh) {
        this.topic = BusTopics.deadLetter(subscriber);
        this.refresh = refresh;
        Map<String, Object> config = new HashMap<>(KafkaConnection.properties(bootstrapServers));
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        this.reader =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The depth, or -1 while the broker cannot say. */
    public synchronized double depth() {
        if (System.nanoTime() - askedAt < refresh.toNanos() && depth >= 0) {
            return depth;
        }
        askedAt = System.nanoTime();
        try {
            List<TopicPartition> partitions =
                    reader.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
            Map<TopicPartition, Long> starts = reader.beginningOffsets(partitions);
            depth = partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
        } catch (KafkaException e) {
            depth = -1;
        }
        return depth;
    }

    @Override
    public synchronized void close() {
        reader.close(Duration.ofSeconds(2));
    }
}
