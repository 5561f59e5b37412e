package io.customerbus.events.testing;

import io.customerbus.events.kafka.BusTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumer groups on the real test broker, as operator tools find them: positions committed by a
 * group that then has no members (as after stopping a service), or a member holding partitions.
 */
public final class TestGroups {

    private TestGroups() {}

    /** A client of the group; it joins only when it subscribes. */
    public static KafkaConsumer<byte[], byte[]> member(String group) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestBroker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "latest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** A member of the group, subscribed to the bus and holding partitions: the group is active. */
    public static KafkaConsumer<byte[], byte[]> activeMember(String group) {
        KafkaConsumer<byte[], byte[]> member = member(group);
        member.subscribe(List.of(BusTopics.CUSTOMER_EVENTS));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (member.assignment().isEmpty()) {
            if (System.nanoTime() > deadline) {
                member.close();
                throw new AssertionError("could not join group " + group);
            }
            member.poll(Duration.ofMillis(100));
        }
        return member;
    }

    /** Commits positions for a group that then has no members. */
    public static void commit(String group, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try (KafkaConsumer<byte[], byte[]> consumer = member(group)) {
            consumer.commitSync(offsets);
        }
    }

    /** Commits the bus's current end on every partition: the group has consumed everything. */
    public static void commitAtEnd(String group) {
        Map<TopicPartition, OffsetAndMetadata> atEnd = new HashMap<>();
        busEnds().forEach((p, end) -> atEnd.put(p, new OffsetAndMetadata(end)));
        commit(group, atEnd);
    }

    /**
     * The group's committed positions on the bus, by partition (partitions it never committed left
     * out).
     */
    public static Map<TopicPartition, OffsetAndMetadata> committed(String group) {
        try (KafkaConsumer<byte[], byte[]> consumer = member(group)) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    new HashMap<>(consumer.committed(Set.copyOf(busPartitions(consumer))));
            committed.values().removeIf(Objects::isNull);
            return committed;
        }
    }

    public static Map<TopicPartition, Long> busEnds() {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                TestBroker.bootstrapServers()),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            return consumer.endOffsets(busPartitions(consumer));
        }
    }

    private static List<TopicPartition> busPartitions(KafkaConsumer<?, ?> consumer) {
        return consumer.partitionsFor(BusTopics.CUSTOMER_EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
    }
}
