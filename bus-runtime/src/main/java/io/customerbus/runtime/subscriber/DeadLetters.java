package io.customerbus.runtime.subscriber;

import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.kafka.BusProducers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

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

    /** Says what a letter left out of a record too large to copy whole ({@link #letter}). */
    public static final String CUT = "dlq-cut";

    /**
     * The largest letter: under the 1 MiB a producer and a topic take by default, with room for the
     * batch's framing. A record within the contract (1,000,000 bytes) and its headers fit.
     */
    static final int MAX_LETTER_BYTES = 1_040_000;

    /** A cut letter keeps the record's own headers up to this much, and its key up to this. */
    private static final int MAX_OWN_HEADER_BYTES = 16_384;

    private static final int MAX_KEY_CHARS = 1_024;

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
        producer.send(letter(record, headers)).get();
    }

    /**
     * The letter: the record whole, or — when it is larger than a letter may be — as much of it as
     * fits, saying so. A record is that large only if its producer raised its own limit and
     * compressed it (the broker checks the compressed size), or came within a few hundred bytes of
     * the limit: written whole, its letter was refused, and the subscriber retried it for good,
     * applying nothing after it. The whole record stays on the topic it came from.
     */
    ProducerRecord<String, byte[]> letter(
            ConsumerRecord<String, byte[]> record, Map<String, String> headers) {
        ProducerRecord<String, byte[]> whole = Forwarded.copy(record, topic, headers);
        if (sizeOf(whole.key(), whole.value(), whole.headers()) <= MAX_LETTER_BYTES) {
            return whole;
        }
        List<String> cut = new ArrayList<>();
        boolean ownHeaders = sizeOf(null, null, record.headers()) <= MAX_OWN_HEADER_BYTES;
        if (!ownHeaders) {
            cut.add("not the record's own headers");
        }
        String key = whole.key();
        if (key != null && key.length() > MAX_KEY_CHARS) {
            key = key.substring(0, MAX_KEY_CHARS);
            cut.add("the key's first " + MAX_KEY_CHARS + " characters");
        }
        Headers kept = ownHeaders ? whole.headers() : Forwarded.headers(headers);
        byte[] value = whole.value() == null ? new byte[0] : whole.value();
        // What the note below takes is bounded: a sentence, three numbers and the origin's name.
        int room = MAX_LETTER_BYTES - 1_000 - (int) sizeOf(key, null, kept);
        byte[] head = Arrays.copyOf(value, Math.max(0, Math.min(value.length, room)));
        cut.add(0, "the value's first " + head.length + " of " + value.length + " bytes");
        String note =
                "too large for a letter: it holds "
                        + String.join(", ", cut)
                        + "; the whole record is at "
                        + headers.get(ORIGINAL_TOPIC)
                        + "-"
                        + headers.get(ORIGINAL_PARTITION)
                        + "@"
                        + headers.get(ORIGINAL_OFFSET);
        kept.remove(CUT).add(CUT, utf8(note));
        return new ProducerRecord<>(topic, null, key, head, kept);
    }

    /** The bytes a record takes, its framing included (an upper bound of the producer's count). */
    private static long sizeOf(String key, byte[] value, Headers headers) {
        long size = RECORD_FRAMING + (key == null ? 0 : utf8(key).length);
        size += value == null ? 0 : value.length;
        for (Header header : headers) {
            size += HEADER_FRAMING + utf8(header.key()).length;
            size += header.value() == null ? 0 : header.value().length;
        }
        return size;
    }

    /** A record's and its batch's own fields; a header's two lengths, as varints. */
    private static final int RECORD_FRAMING = 100;

    private static final int HEADER_FRAMING = 10;

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
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
