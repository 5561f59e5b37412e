package io.customerbus.runtime.operations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
            ConsumerRecords<String, byte[]> records = reader.poll(Duration.ofMillis(500));
            for (ConsumerRecord<String, byte[]> record : records) {
                // The first record from there: the one asked for, or the next one after a gap.
                return record.offset() == offset ? Optional.of(record) : Optional.empty();
            }
            if (records.isEmpty()
                    && reader.endOffsets(List.of(partition)).get(partition)
                            <= reader.position(partition)) {
                return Optional.empty(); // the log was truncated below it meanwhile
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

    /** Where a read of one partition starts and ends (excluded). */
    public record Range(long from, long to) {}

    /**
     * Hands the records of each partition's range to {@code each}, oldest first per partition, the
     * partitions read together, holding none, while it returns true. Records deleted since are
     * passed by; a partition whose log now ends before its range does (truncated) is read to that
     * end.
     */
    public static void ranges(
            KafkaConsumer<String, byte[]> reader,
            Map<TopicPartition, Range> ranges,
            Predicate<ConsumerRecord<String, byte[]>> each) {
        List<TopicPartition> partitions = List.copyOf(ranges.keySet());
        reader.assign(partitions);
        // Not before a partition's first record: a reader sent out of range may jump to its end,
        // past records still there.
        Map<TopicPartition, Long> first = reader.beginningOffsets(partitions);
        Set<TopicPartition> reading = new HashSet<>();
        try {
            for (TopicPartition partition : partitions) {
                long start = Math.max(ranges.get(partition).from(), first.get(partition));
                reader.seek(partition, start);
                if (start < ranges.get(partition).to()) {
                    reading.add(partition);
                } else {
                    reader.pause(List.of(partition)); // nothing to read there
                }
            }
            while (!reading.isEmpty()) {
                ConsumerRecords<String, byte[]> records = reader.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    TopicPartition partition =
                            new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < ranges.get(partition).to() && !each.test(record)) {
                        return;
                    }
                }
                Map<TopicPartition, Long> ends =
                        records.isEmpty() ? reader.endOffsets(reading) : Map.of();
                for (TopicPartition partition : List.copyOf(reading)) {
                    long position = reader.position(partition);
                    if (position >= ranges.get(partition).to()
                            || ends.getOrDefault(partition, Long.MAX_VALUE) <= position) {
                        reading.remove(partition);
                        reader.pause(List.of(partition)); // what follows its range is not read
                    }
                }
            }
        } finally {
            // A paused partition stays paused when it is assigned again: the reader's next read
            // would wait for records that never come.
            reader.resume(reader.paused());
        }
    }

    /**
     * Reads from the beginning to the end as of now (not the records that come in meanwhile), while
     * {@code more} returns true.
     */
    private static Map<TopicPartition, Long> scan(
            KafkaConsumer<String, byte[]> reader,
            String topic,
            Predicate<ConsumerRecord<String, byte[]>> more) {
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions(reader, topic));
        Map<TopicPartition, Range> ranges = new HashMap<>();
        ends.forEach((partition, end) -> ranges.put(partition, new Range(0, end)));
        ranges(reader, ranges, more);
        return ends;
    }
}
