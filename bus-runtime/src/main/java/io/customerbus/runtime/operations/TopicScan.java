package io.customerbus.runtime.operations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reading a topic without a consumer group: its partitions, and its records up to the end. */
public final class TopicScan {

    private TopicScan() {}

    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> reader, String topic) {
        return reader.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    /** Every record now in the topic that {@code keep} accepts, oldest first per partition. */
    public static List<ConsumerRecord<String, byte[]>> all(
            KafkaConsumer<String, byte[]> reader,
            String topic,
            Predicate<ConsumerRecord<String, byte[]>> keep) {
        List<ConsumerRecord<String, byte[]>> kept = new ArrayList<>();
        scan(
                reader,
                topic,
                record -> {
                    if (keep.test(record)) {
                        kept.add(record);
                    }
                    return true;
                });
        return kept;
    }

    /**
     * The record at that offset, read from there alone (a long topic is not scanned for one
     * record); empty when there is none — never written, deleted, or a transaction's marker.
     */
    public static Optional<ConsumerRecord<String, byte[]>> at(
            KafkaConsumer<String, byte[]> reader, TopicPartition partition, long offset) {
        if (!partitions(reader, partition.topic()).contains(partition)) {
            return Optional.empty();
        }
        long begin = reader.beginningOffsets(List.of(partition)).get(partition);
        long end = reader.endOffsets(List.of(partition)).get(partition);
        if (offset < begin || offset >= end) {
            return Optional.empty();
        }
        reader.assign(List.of(partition));
        reader.seek(partition, offset);
        while (reader.position(partition) < end) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(500))) {
                // The first record from there: the one asked for, or the next one after a gap.
                return record.offset() == offset ? Optional.of(record) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The first record that {@code wanted} accepts; stops reading there. */
    public static Optional<ConsumerRecord<String, byte[]>> first(
            KafkaConsumer<String, byte[]> reader,
            String topic,
            Predicate<ConsumerRecord<String, byte[]>> wanted) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>(1);
        scan(
                reader,
                topic,
                record -> {
                    if (wanted.test(record)) {
                        found.add(record);
                        return false;
                    }
                    return true;
                });
        return found.stream().findFirst();
    }

    /**
     * Hands every record now in the topic to {@code each}, oldest first per partition, holding none
     * (a topic may hold more than memory); returns the end offsets it read to.
     */
    public static Map<TopicPartition, Long> each(
            KafkaConsumer<String, byte[]> reader,
            String topic,
            Consumer<ConsumerRecord<String, byte[]>> each) {
        return scan(
                reader,
                topic,
                record -> {
                    each.accept(record);
                    return true;
                });
    }

    /**
     * Hands the partition's records from offset {@code from} up to {@code to} (excluded) to {@code
     * each}, in order, holding none, while it returns true. Records deleted since are passed by.
     */
    public static void range(
            KafkaConsumer<String, byte[]> reader,
            TopicPartition partition,
            long from,
            long to,
            Predicate<ConsumerRecord<String, byte[]>> each) {
        reader.assign(List.of(partition));
        // Not before the partition's first record: a reader sent out of range would jump to its
        // end, past records still there.
        reader.seek(
                partition,
                Math.max(from, reader.beginningOffsets(List.of(partition)).get(partition)));
        while (reader.position(partition) < to) {
            ConsumerRecords<String, byte[]> records = reader.poll(Duration.ofMillis(500));
            for (ConsumerRecord<String, byte[]> record : records) {
                if (record.offset() >= to || !each.test(record)) {
                    return;
                }
            }
            if (records.isEmpty()
                    && reader.endOffsets(List.of(partition)).get(partition)
                            <= reader.position(partition)) {
                return; // the log now ends before `to` (truncated): nothing more will come
            }
        }
    }

    /** Reads from the beginning to the end as of now, while {@code more} returns true. */
    private static Map<TopicPartition, Long> scan(
            KafkaConsumer<String, byte[]> reader,
            String topic,
            Predicate<ConsumerRecord<String, byte[]>> more) {
        List<TopicPartition> partitions = partitions(reader, topic);
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(500))) {
                if (!more.test(record)) {
                    return ends;
                }
            }
        }
        return ends;
    }
}
