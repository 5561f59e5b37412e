package io.customerbus.runtime.operations;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerbus.events.json.CustomerEventJson;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.kafka.BusProducers;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Who did what to the bus, when, and to how many records: every operator action (re-drive, purge,
 * replay) is recorded on the topic {@code customer-events.audit}, kept forever, whichever tool ran
 * it — the CLI or the console.
 */
public final class AuditLog {

    public static final String TOPIC = BusTopics.CUSTOMER_EVENTS + ".audit";

    /** One action: who (a token's subject, or the CLI's user), what, on which subscriber. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(
            Instant at,
            String who,
            String tool,
            String action,
            String subscriber,
            long records,
            String detail) {}

    private static final ObjectMapper JSON = CustomerEventJson.mapper();

    private AuditLog() {}

    /**
     * Records an action that was just done, as {@link #record}; a failure to record it is a {@link
     * NotAudited} naming what was done.
     */
    static void recordDone(
            String bootstrapServers,
            Actor actor,
            String action,
            String subscriber,
            long records,
            String detail)
            throws NotAudited, InterruptedException {
        try {
            record(bootstrapServers, actor, action, subscriber, records, detail);
        } catch (ExecutionException | RuntimeException e) {
            throw new NotAudited(
                    "the "
                            + action
                            + " of "
                            + records
                            + " record(s) of "
                            + subscriber
                            + " ("
                            + detail
                            + ")",
                    e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
        }
    }

    /** Records an action taken now and waits for the broker's acknowledgement. */
    public static void record(
            String bootstrapServers,
            Actor actor,
            String action,
            String subscriber,
            long records,
            String detail)
            throws ExecutionException, InterruptedException {
        Entry entry =
                new Entry(
                        Instant.now(),
                        actor.who(),
                        actor.tool(),
                        action,
                        subscriber,
                        records,
                        detail);
        try (KafkaProducer<String, byte[]> producer =
                BusProducers.create(bootstrapServers, "bus-audit", Map.of())) {
            producer.send(
                            new ProducerRecord<>(
                                    TOPIC, entry.subscriber(), JSON.writeValueAsBytes(entry)))
                    .get();
        } catch (IOException e) {
            throw new IllegalStateException("an audit entry is always writable", e);
        }
    }

    /**
     * A record of the log as an entry; anyone allowed to write the topic could write something else
     * (no value, other JSON), which is passed over rather than failing the whole list.
     */
    private static Optional<Entry> entry(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return Optional.empty();
        }
        try {
            Entry entry = JSON.readValue(record.value(), Entry.class);
            return entry.at() == null ? Optional.empty() : Optional.of(entry);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The latest {@code limit} entries, newest first. */
    public static List<Entry> recent(KafkaConsumer<String, byte[]> reader, int limit) {
        List<TopicPartition> partitions = TopicScan.partitions(reader, TOPIC);
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
        Map<TopicPartition, Long> starts = reader.beginningOffsets(partitions);
        reader.assign(partitions);
        partitions.forEach(p -> reader.seek(p, Math.max(starts.get(p), ends.get(p) - limit)));
        List<Entry> entries = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p))
                && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                entry(record).ifPresent(entries::add);
            }
        }
        entries.sort(Comparator.comparing(Entry::at).reversed());
        return entries.size() > limit ? entries.subList(0, limit) : entries;
    }
}
