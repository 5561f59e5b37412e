package io.customerbus.cli;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The real test broker, as the CLI tests arrange it. */
final class TestBus {

    static final String BOOTSTRAP = System.getProperty("kafka.bootstrap.servers", "127.0.0.1:9092");

    private TestBus() {}

    /** Publishes events in order with explicit record times (to test time-based replays). */
    static List<RecordMetadata> publish(List<CustomerEvent> events, List<Long> timestamps)
            throws Exception {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            List<RecordMetadata> sent = new java.util.ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                ProducerRecord<String, byte[]> encoded =
                        BusRecordCodec.encode(
                                BusTopics.CUSTOMER_EVENTS, events.get(i), Optional.empty());
                sent.add(
                        producer.send(
                                        new ProducerRecord<>(
                                                encoded.topic(),
                                                null,
                                                timestamps.get(i),
                                                encoded.key(),
                                                encoded.value(),
                                                encoded.headers()))
                                .get());
            }
            return sent;
        }
    }

    static KafkaConsumer<byte[], byte[]> member(String group) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        BOOTSTRAP,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "latest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** A member of the group, subscribed and holding partitions: the group is active. */
    static KafkaConsumer<byte[], byte[]> activeMember(String group) {
        KafkaConsumer<byte[], byte[]> member = member(group);
        member.subscribe(List.of(BusTopics.CUSTOMER_EVENTS));
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (member.assignment().isEmpty()) {
            if (System.nanoTime() > deadline) {
                member.close();
                throw new AssertionError("could not join group " + group);
            }
            member.poll(java.time.Duration.ofMillis(100));
        }
        return member;
    }

    /** Reads records with their keys as text, as subscribers do. */
    static KafkaConsumer<String, byte[]> reader() {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        BOOTSTRAP,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Commits positions for a group that then has no members (as after stopping a service). */
    static void commit(String group, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try (KafkaConsumer<byte[], byte[]> consumer = member(group)) {
            consumer.commitSync(offsets);
        }
    }

    static Map<TopicPartition, OffsetAndMetadata> committed(String group) {
        try (KafkaConsumer<byte[], byte[]> consumer = member(group)) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    new java.util.HashMap<>(
                            consumer.committed(java.util.Set.copyOf(busPartitions(consumer))));
            committed.values().removeIf(java.util.Objects::isNull);
            return committed;
        }
    }

    static Map<TopicPartition, Long> ends() {
        try (KafkaConsumer<String, byte[]> consumer = reader()) {
            return consumer.endOffsets(busPartitions(consumer));
        }
    }

    private static List<TopicPartition> busPartitions(KafkaConsumer<?, ?> consumer) {
        return consumer.partitionsFor(BusTopics.CUSTOMER_EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
    }
}
