package io.customerbus.cli;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The real test broker, as the CLI tests arrange it. */
final class TestBus {

    /**
     * The broker ./platform test started; the CLI gets it on its command line, as users give it.
     */
    static final String BOOTSTRAP =
            System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");

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
}
