package io.customerbus.events.consumer;

import io.customerbus.events.kafka.BusProducers;
import io.customerbus.events.kafka.BusTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A subscriber's dead-letter topic: the original record (key, value, headers) plus why it failed
 * and where it came from, so it can be inspected and re-driven after a fix.
 */
public final class DeadLetters implements AutoCloseable {

    public static final String REASON = "dlq-reason";
    public static final String SUBSCRIBER = "dlq-subscriber";
    public static final String ORIGINAL_TOPIC = "dlq-original-topic";
    public static final String ORIGINAL_PARTITION = "dlq-original-partition";
    public static final String ORIGINAL_OFFSET = "dlq-original-offset";
    public static final String FAILED_AT = "dlq-failed-at";

    private final String subscriber;
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    public DeadLetters(String subscriber, String bootstrapServers) {
        this.subscriber = subscriber;
        this.topic = BusTopics.deadLetter(subscriber);
        this.producer = BusProducers.create(bootstrapServers, subscriber + "-dlq", Map.of());
    }

    /** Sends and waits for the acknowledgement: the offset is committed only after this. */
    public void send(ConsumerRecord<String, byte[]> record, String reason)
            throws ExecutionException, InterruptedException {
        ProducerRecord<String, byte[]> letter =
                new ProducerRecord<>(
                        topic,
                        null,
                        record.key(),
                        record.value(),
                        new RecordHeaders(record.headers().toArray()));
        add(letter, REASON, reason);
        add(letter, SUBSCRIBER, subscriber);
        add(letter, ORIGINAL_TOPIC, record.topic());
        add(letter, ORIGINAL_PARTITION, Integer.toString(record.partition()));
        add(letter, ORIGINAL_OFFSET, Long.toString(record.offset()));
        add(letter, FAILED_AT, Instant.now().toString());
        producer.send(letter).get();
    }

    public String topic() {
        return topic;
    }

    private static void add(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().remove(name);
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
