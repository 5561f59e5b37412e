package io.customerbus.runtime.subscriber;

import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.kafka.BusProducers;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

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

    /**
     * The longest reason a letter carries. A reason names every violation of the record, and a
     * record near the size limit can break thousands of rules: with all of them the letter would be
     * larger than the broker takes, could never be written, and would hold up the subscriber.
     */
    static final int MAX_REASON_CHARS = 4_000;

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
        send(record, reason, Map.of());
    }

    /** As {@link #send(ConsumerRecord, String)}, with more headers (attempts, last error...). */
    public void send(ConsumerRecord<String, byte[]> record, String reason, Map<String, String> more)
            throws ExecutionException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(REASON, bounded(reason));
        headers.put(SUBSCRIBER, subscriber);
        // From a retry topic, the place on the bus it came from, not the retry topic's.
        headers.putAll(
                Forwarded.origin(record, ORIGINAL_TOPIC, ORIGINAL_PARTITION, ORIGINAL_OFFSET));
        headers.put(FAILED_AT, Instant.now().toString());
        headers.putAll(more);
        ProducerRecord<String, byte[]> letter = Forwarded.copy(record, topic, headers);
        producer.send(letter).get();
    }

    public String topic() {
        return topic;
    }

    static String bounded(String reason) {
        if (reason.length() <= MAX_REASON_CHARS) {
            return reason;
        }
        String kept = reason.substring(0, MAX_REASON_CHARS);
        return kept + "… (" + (reason.length() - kept.length()) + " more characters)";
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
