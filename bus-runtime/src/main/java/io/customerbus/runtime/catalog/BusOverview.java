package io.customerbus.runtime.catalog;

import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.subscriber.ReplayBoundary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What the broker says of each described subscriber: its members, its lag per bus partition in
 * records and seconds, its replay boundary, its DLQ depth. One implementation for every tool that
 * shows subscribers (the CLI's {@code subscribers}, the console), and a fixed number of broker
 * requests however many subscribers there are — the groups, their offsets, the bus's and the DLQs'
 * ends each asked for all at once — plus one fetch per lagging subscriber for the age of its oldest
 * unapplied events.
 */
public final class BusOverview {

    private static final Duration FETCH = Duration.ofSeconds(2);

    private BusOverview() {}

    public static List<SubscriberStatus> of(
            Admin admin, KafkaConsumer<String, byte[]> reader, List<SubscriberDescription> catalog)
            throws ExecutionException, InterruptedException {
        return of(admin, reader, catalog, busEnds(admin));
    }

    /**
     * The end offset of every partition of the bus, as subscribers (read_committed) can read to: a
     * publisher's open transaction is not lag.
     */
    public static Map<TopicPartition, Long> busEnds(Admin admin)
            throws ExecutionException, InterruptedException {
        return offsets(
                admin,
                partitions(admin, List.of(BusTopics.CUSTOMER_EVENTS)),
                OffsetSpec.latest(),
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
    }

    /** The same, with the bus's end offsets the caller has asked for already. */
    public static List<SubscriberStatus> of(
            Admin admin,
            KafkaConsumer<String, byte[]> reader,
            List<SubscriberDescription> catalog,
            Map<TopicPartition, Long> busEnds)
            throws ExecutionException, InterruptedException {
        if (catalog.isEmpty()) {
            return List.of();
        }
        List<String> groups =
                catalog.stream().map(SubscriberDescription::group).distinct().toList();
        Map<String, ConsumerGroupDescription> described =
                admin.describeConsumerGroups(groups).all().get();
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groups.forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
                admin.listConsumerGroupOffsets(specs).all().get();
        List<String> deadLetterTopics =
                catalog.stream().map(SubscriberDescription::deadLetterTopic).distinct().toList();
        List<TopicPartition> deadLetterPartitions = partitions(admin, deadLetterTopics);
        Map<TopicPartition, Long> deadLetterEnds =
                offsets(admin, deadLetterPartitions, OffsetSpec.latest());
        Map<TopicPartition, Long> deadLetterStarts =
                offsets(admin, deadLetterPartitions, OffsetSpec.earliest());

        List<SubscriberStatus> statuses = new ArrayList<>();
        for (SubscriberDescription subscriber : catalog) {
            Map<TopicPartition, OffsetAndMetadata> positions =
                    committed.getOrDefault(subscriber.group(), Map.of()).entrySet().stream()
                            .filter(
                                    e ->
                                            e.getKey().topic().equals(BusTopics.CUSTOMER_EVENTS)
                                                    && e.getValue() != null)
                            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            Map<TopicPartition, Long> ages = agesOfOldest(reader, positions, busEnds);
            List<SubscriberStatus.PartitionLag> lags = new ArrayList<>();
            positions.forEach(
                    (partition, position) -> {
                        long end = busEnds.getOrDefault(partition, position.offset());
                        Optional<ReplayBoundary> replay = ReplayBoundary.parse(position.metadata());
                        lags.add(
                                new SubscriberStatus.PartitionLag(
                                        partition.partition(),
                                        position.offset(),
                                        end,
                                        Math.max(0, end - position.offset()),
                                        ages.getOrDefault(partition, 0L),
                                        replay.map(ReplayBoundary::from).orElse(-1L),
                                        replay.map(ReplayBoundary::until).orElse(-1L)));
                    });
            lags.sort(Comparator.comparingInt(SubscriberStatus.PartitionLag::partition));
            ConsumerGroupDescription group = described.get(subscriber.group());
            statuses.add(
                    new SubscriberStatus(
                            subscriber,
                            group == null ? 0 : group.members().size(),
                            lags,
                            depth(subscriber.deadLetterTopic(), deadLetterEnds, deadLetterStarts)));
        }
        return statuses;
    }

    /**
     * How many seconds ago the oldest event not applied yet at {@code offset} happened (the record
     * time is the event time); -1 when it cannot be read in time.
     */
    public static long ageOfOldest(
            KafkaConsumer<String, byte[]> reader, TopicPartition partition, long offset) {
        return agesOfOldest(reader, Map.of(partition, new OffsetAndMetadata(offset)), Map.of())
                .getOrDefault(partition, -1L);
    }

    /** The ages on every partition where the group is behind, read in one round of fetches. */
    private static Map<TopicPartition, Long> agesOfOldest(
            KafkaConsumer<String, byte[]> reader,
            Map<TopicPartition, OffsetAndMetadata> positions,
            Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> behind = new HashMap<>();
        positions.forEach(
                (partition, position) -> {
                    if (ends.getOrDefault(partition, Long.MAX_VALUE) > position.offset()) {
                        behind.put(partition, position.offset());
                    }
                });
        Map<TopicPartition, Long> ages = new HashMap<>();
        if (behind.isEmpty()) {
            return ages;
        }
        reader.assign(behind.keySet());
        behind.forEach(reader::seek);
        long deadline = System.nanoTime() + FETCH.toNanos();
        while (ages.size() < behind.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                ages.putIfAbsent(
                        partition,
                        Duration.between(Instant.ofEpochMilli(record.timestamp()), Instant.now())
                                .toSeconds());
                reader.pause(List.of(partition));
            }
        }
        reader.resume(reader.paused());
        behind.keySet().forEach(partition -> ages.putIfAbsent(partition, -1L));
        return ages;
    }

    private static long depth(
            String topic, Map<TopicPartition, Long> ends, Map<TopicPartition, Long> starts) {
        List<TopicPartition> partitions =
                ends.keySet().stream().filter(p -> p.topic().equals(topic)).toList();
        return partitions.isEmpty()
                ? -1
                : partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
    }

    /** The partitions of the topics that exist (a subscriber may have no DLQ topic yet). */
    private static List<TopicPartition> partitions(Admin admin, Collection<String> topics)
            throws InterruptedException, ExecutionException {
        Map<String, TopicDescription> found = new HashMap<>();
        for (var entry : admin.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                found.put(entry.getKey(), entry.getValue().get());
            } catch (ExecutionException e) {
                if (!(e.getCause()
                        instanceof
                        org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        List<TopicPartition> partitions = new ArrayList<>();
        found.forEach(
                (topic, description) ->
                        description
                                .partitions()
                                .forEach(
                                        p ->
                                                partitions.add(
                                                        new TopicPartition(topic, p.partition()))));
        return partitions;
    }

    static Map<TopicPartition, Long> offsets(
            Admin admin, Collection<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException {
        return offsets(admin, partitions, spec, new ListOffsetsOptions());
    }

    private static Map<TopicPartition, Long> offsets(
            Admin admin,
            Collection<TopicPartition> partitions,
            OffsetSpec spec,
            ListOffsetsOptions options)
            throws ExecutionException, InterruptedException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        return admin
                .listOffsets(
                        partitions.stream().collect(Collectors.toMap(p -> p, p -> spec)), options)
                .all()
                .get()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
