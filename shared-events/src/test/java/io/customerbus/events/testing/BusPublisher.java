package io.customerbus.events.testing;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes to the real bus as a publisher would (the contract's codec, acks=all), for tests that
 * play a publisher; every call returns once the broker has acknowledged.
 */
public final class BusPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    /** To the broker of the service under test ({@link TestBroker}). */
    public BusPublisher() {
        this(TestBroker.bootstrapServers());
    }

    public BusPublisher(String bootstrapServers) {
        producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new ByteArraySerializer());
    }

    public RecordMetadata publish(CustomerEvent event)
            throws ExecutionException, InterruptedException {
        return publishAll(List.of(event)).get(0);
    }

    /** In order, pipelined; returns when all are acknowledged. */
    public List<RecordMetadata> publishAll(List<CustomerEvent> events)
            throws ExecutionException, InterruptedException {
        return send(
                events.stream()
                        .map(
                                event ->
                                        BusRecordCodec.encode(
                                                BusTopics.CUSTOMER_EVENTS, event, Optional.empty()))
                        .toList());
    }

    /** A record as given, e.g. one that breaks the contract. */
    public RecordMetadata send(ProducerRecord<String, byte[]> record)
            throws ExecutionException, InterruptedException {
        return send(List.of(record)).get(0);
    }

    /**
     * Records as given, in order and pipelined (one partition's go out together, so that a consumer
     * polls them together); returns when all are acknowledged.
     */
    public List<RecordMetadata> send(List<ProducerRecord<String, byte[]>> records)
            throws ExecutionException, InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            sent.add(producer.send(record));
        }
        List<RecordMetadata> acknowledged = new ArrayList<>(sent.size());
        for (Future<RecordMetadata> future : sent) {
            acknowledged.add(future.get());
        }
        return acknowledged;
    }

    @Override
    public void close() {
        producer.close();
    }
}
