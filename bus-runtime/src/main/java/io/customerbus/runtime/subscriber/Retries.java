package io.customerbus.runtime.subscriber;

import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.kafka.BusProducers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A subscriber's own retry topic ({@code customer-events.<name>.retry}): a record that failed for a
 * passing reason waits there, with its attempt number and the earliest time to try again, while the
 * subscriber goes on with the bus. Never the bus itself: other subscribers must not see a record
 * twice.
 */
public final class Retries implements AutoCloseable {

    public static final String ATTEMPT = "retry-attempt";
    public static final String NOT_BEFORE = "retry-not-before";
    public static final String LAST_ERROR = "retry-last-error";

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    public Retries(String subscriber, String bootstrapServers) {
        this(subscriber, bootstrapServers, Map.of());
    }

    /** With producer settings of its own (a re-drive's batch size). */
    public Retries(String subscriber, String bootstrapServers, Map<String, Object> settings) {
        this.topic = BusTopics.retry(subscriber);
        this.producer = BusProducers.create(bootstrapServers, subscriber + "-retry", settings);
    }

    /** Sends and waits for the acknowledgement, so the original may be committed after it. */
    public void schedule(
            ConsumerRecord<String, byte[]> record, int attempt, Instant notBefore, String lastError)
            throws ExecutionException, InterruptedException {
        producer.send(forward(record, attempt, notBefore, lastError, Map.of())).get();
    }

    /**
     * Sends without waiting, with more headers (a re-drive's count); {@code done} hears of the
     * acknowledgement or the failure, and {@link #flush} waits for every send before it.
     */
    public void send(
            ConsumerRecord<String, byte[]> record,
            int attempt,
            Instant notBefore,
            String lastError,
            Map<String, String> more,
            Callback done) {
        producer.send(forward(record, attempt, notBefore, lastError, more), done);
    }

    public void flush() {
        producer.flush();
    }

    private ProducerRecord<String, byte[]> forward(
            ConsumerRecord<String, byte[]> record,
            int attempt,
            Instant notBefore,
            String lastError,
            Map<String, String> more) {
        Map<String, String> headers = new java.util.HashMap<>(more);
        headers.putAll(
                Forwarded.origin(
                        record,
                        Forwarded.ORIGIN_TOPIC,
                        Forwarded.ORIGIN_PARTITION,
                        Forwarded.ORIGIN_OFFSET));
        headers.put(ATTEMPT, Integer.toString(attempt));
        headers.put(NOT_BEFORE, notBefore.toString());
        headers.put(LAST_ERROR, lastError);
        return Forwarded.copy(record, topic, headers);
    }

    public String topic() {
        return topic;
    }

    /** The attempts already made for this event: 0 for a record straight from the bus. */
    public static int attemptsOf(BusEvent event) {
        String attempt = event.header(ATTEMPT);
        return attempt == null ? 0 : Integer.parseInt(attempt);
    }

    /** When this record may be tried again (now for a record straight from the bus). */
    public static Instant notBeforeOf(BusEvent event) {
        String at = event.header(NOT_BEFORE);
        return at == null ? Instant.EPOCH : Instant.parse(at);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
