package io.customerbus.runtime.outbox;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.cloudevents.EventAttributes;
import io.customerbus.events.json.CustomerEventJson;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.TraceContext;
import io.customerbus.runtime.kafka.BusProducers;
import io.customerbus.runtime.tracing.BusTracing;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.KafkaException;

/**
 * Sends outbox rows with an idempotent, acks=all producer and reports which were acknowledged: the
 * longest prefix of the batch, so a row is never marked published before an earlier one.
 */
final class OutboxPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final BusTracing tracing;

    /**
     * @param transactionalId this process's, the same for every producer it makes: a producer made
     *     after a failure fences the one before and aborts the transaction it left open, which
     *     would otherwise hold back every read_committed reader of its partitions until the
     *     broker's transaction timeout (a minute)
     */
    OutboxPublisher(
            String bootstrapServers,
            String clientId,
            String transactionalId,
            String topic,
            BusTracing tracing) {
        this.topic = topic;
        this.tracing = tracing;
        this.producer =
                transactional(
                        bootstrapServers,
                        clientId,
                        transactionalId,
                        Map.of(
                                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                                5,
                                ProducerConfig.LINGER_MS_CONFIG,
                                0,
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                15_000));
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(java.time.Duration.ZERO);
            throw e;
        }
    }

    /**
     * Fences another relay's transactional id: the broker aborts the transaction it left open (a
     * relay killed between its sends and its commit) and refuses its producer from now on, so that
     * a relay that was only cut off cannot commit its copies behind the new owner's.
     */
    static void fence(String bootstrapServers, String clientId, String transactionalId) {
        try (KafkaProducer<String, byte[]> fencing =
                transactional(bootstrapServers, clientId, transactionalId, Map.of())) {
            fencing.initTransactions();
        }
    }

    /**
     * One transaction per batch: a batch that fails half-way is aborted as a whole, so a later
     * event can never overtake an earlier one for read_committed readers. One id per process; the
     * slot locks already make each slot single-writer. A broker outage must surface quickly (the
     * outbox keeps the rows), hence the short blocking and request timeouts.
     */
    private static KafkaProducer<String, byte[]> transactional(
            String bootstrapServers,
            String clientId,
            String transactionalId,
            Map<String, Object> more) {
        Map<String, Object> settings = new java.util.HashMap<>(more);
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return BusProducers.create(bootstrapServers, clientId, settings);
    }

    /** The acknowledged rows (all or none: one transaction) and, if none, why. */
    record Result(List<OutboxRow> acknowledged, Exception failure) {}

    Result publish(List<OutboxRow> rows) throws InterruptedException {
        List<Span> spans = new ArrayList<>(rows.size());
        try {
            producer.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>(rows.size());
            for (OutboxRow row : rows) {
                Future<RecordMetadata> acknowledgement = producer.send(toRecord(row, spans));
                if (acknowledgement.isDone()) {
                    // Refused at once (no metadata for the topic within max.block.ms): the batch
                    // fails here, not after each of its rows has waited as long.
                    acknowledgement.get();
                }
                sent.add(acknowledgement);
            }
            producer.commitTransaction();
            for (Future<RecordMetadata> acknowledgement : sent) {
                acknowledgement.get();
            }
            spans.forEach(Span::end);
            return new Result(rows, null);
        } catch (RuntimeException | IOException | ExecutionException e) {
            // RuntimeException: the producer's KafkaException, and a row it cannot make a record
            // of (the writers refuse such rows; one written before they did must not kill the
            // relay, which then keeps it and reports it as the health check's failure).
            spans.forEach(span -> BusTracing.end(span, e));
            return new Result(List.of(), e);
        }
    }

    /**
     * The row was validated against the schema when it was written; it is only mapped here, from
     * the attributes stored beside the payload (the payload is read only for a row that has none).
     * The record carries the publish span's context, so subscribers' spans are its children.
     */
    private ProducerRecord<String, byte[]> toRecord(OutboxRow row, List<Span> spans)
            throws IOException {
        byte[] body = row.payload().getBytes(StandardCharsets.UTF_8);
        EventAttributes event = row.attributes().orElse(null);
        if (event == null) {
            event =
                    EventAttributes.of(
                            CustomerEventJson.mapper().readValue(body, CustomerEvent.class));
        }
        Optional<TraceContext> stored = TraceContext.parse(row.traceparent(), row.tracestate());
        Span span = tracing.publishing(topic, event, stored);
        spans.add(span);
        return BusRecordCodec.encodeValidated(
                topic, event, body, BusTracing.contextOf(span).or(() -> stored));
    }

    /** Whether the broker answers with the topic's partitions (within max.block.ms). */
    boolean reachesTopic() {
        try {
            return !producer.partitionsFor(topic).isEmpty();
        } catch (KafkaException e) {
            return false;
        }
    }

    /**
     * After a failure, sends still queued behind the failed one must not reach the bus later: the
     * rows are sent again in order, and a late copy of a later row would overtake them. Closing
     * without waiting fails every send the producer has not completed.
     */
    void abort() {
        producer.close(java.time.Duration.ZERO);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
