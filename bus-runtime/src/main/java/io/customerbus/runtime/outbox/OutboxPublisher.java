package io.customerbus.runtime.outbox;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.json.CustomerEventJson;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.TraceContext;
import io.customerbus.runtime.kafka.BusProducers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    OutboxPublisher(String bootstrapServers, String clientId, String topic) {
        this.topic = topic;
        this.producer =
                BusProducers.create(
                        bootstrapServers,
                        clientId,
                        Map.of(
                                // One transaction per batch: a batch that fails half-way is aborted
                                // as a whole, so a later event can never overtake an earlier one
                                // for read_committed readers. One id per process; the slot locks
                                // already make each slot single-writer.
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                clientId + "-" + java.util.UUID.randomUUID(),
                                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                                5,
                                ProducerConfig.LINGER_MS_CONFIG,
                                0,
                                // A broker outage must surface quickly: the outbox keeps the rows.
                                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                5_000,
                                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                5_000,
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                15_000));
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(java.time.Duration.ZERO);
            throw e;
        }
    }

    /** The acknowledged rows (all or none: one transaction) and, if none, why. */
    record Result(List<OutboxRow> acknowledged, Exception failure) {}

    Result publish(List<OutboxRow> rows) throws InterruptedException {
        try {
            producer.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>(rows.size());
            for (OutboxRow row : rows) {
                sent.add(producer.send(toRecord(row)));
            }
            producer.commitTransaction();
            for (Future<RecordMetadata> acknowledgement : sent) {
                acknowledgement.get();
            }
            return new Result(rows, null);
        } catch (KafkaException | IOException | ExecutionException e) {
            return new Result(List.of(), e);
        }
    }

    /** The row was validated against the schema when it was written; it is only mapped here. */
    private ProducerRecord<String, byte[]> toRecord(OutboxRow row) throws IOException {
        byte[] body = row.payload().getBytes(StandardCharsets.UTF_8);
        CustomerEvent event = CustomerEventJson.mapper().readValue(body, CustomerEvent.class);
        return BusRecordCodec.encodeValidated(
                topic, event, body, TraceContext.parse(row.traceparent(), row.tracestate()));
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
