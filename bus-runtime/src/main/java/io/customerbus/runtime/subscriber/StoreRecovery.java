package io.customerbus.runtime.subscriber;

import io.customerbus.runtime.kafka.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Puts back what a subscriber's own store lost (see {@link StorePositions}) in the two moments it
 * can be found out:
 *
 * <ul>
 *   <li>when a partition is assigned: the consumer reads from the store's position where that is
 *       behind Kafka's commit;
 *   <li>while this process holds the partition, after the store failed (a Redis killed and started
 *       again, a failover): the consumer's position is past what the store lost, so the events
 *       between the store's position and the last one this process applied are read again with a
 *       consumer of its own and applied before the batch in hand — which would otherwise move the
 *       store's position past the gap for good.
 * </ul>
 */
final class StoreRecovery {

    private static final Logger LOG = Logger.getLogger(StoreRecovery.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STALLED = Duration.ofSeconds(60);

    private final SubscriberSettings settings;
    private final StorePositions store;
    // The partitions this process holds (the polling thread changes them), and on each the
    // offsets of the first and last events it handed to the store since it got it (the writer).
    private final Set<TopicPartition> held = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Offsets> applied = new ConcurrentHashMap<>();

    /** Offsets from {@code first} to {@code last}, both included. */
    record Offsets(long first, long last) {
        Offsets union(Offsets other) {
            return new Offsets(Math.min(first, other.first), Math.max(last, other.last));
        }
    }

    StoreRecovery(SubscriberSettings settings, StorePositions store) {
        this.settings = settings;
        this.store = store;
    }

    /** Seeks the newly assigned, committed partitions whose store stands behind the commit. */
    void assigned(
            Consumer<?, ?> client,
            Collection<TopicPartition> partitions,
            Map<TopicPartition, OffsetAndMetadata> committed) {
        held.addAll(partitions);
        Map<Integer, Long> stored = store.nextOffsets();
        Map<TopicPartition, Long> beginnings = client.beginningOffsets(committed.keySet());
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
            TopicPartition partition = entry.getKey();
            OffsetAndMetadata offset = entry.getValue();
            if (offset == null) {
                continue; // never committed: where a new group starts is auto.offset.reset's
            }
            long from = from(stored, beginnings, partition);
            if (from < offset.offset()) {
                LOG.warnf(
                        "%s: the store stands at %d on %s, behind the commit at %d: it lost"
                                + " writes, reading them again from the bus",
                        settings.name(), from, partition, offset.offset());
                client.seek(partition, from);
            }
        }
    }

    void revoked(Collection<TopicPartition> partitions) {
        held.removeAll(partitions);
        partitions.forEach(applied::remove);
    }

    /**
     * Called once a batch is applied: the store holds (at least) these events now. Per run of
     * events of one partition (a poll's records come partition by partition), not per event. A
     * batch of a partition handed over meanwhile is not recorded: its next owner answers for it.
     */
    void applied(List<BusEvent> batch) {
        int from = 0;
        for (int i = 1; i <= batch.size(); i++) {
            if (i == batch.size() || batch.get(i).partition() != batch.get(from).partition()) {
                BusEvent first = batch.get(from);
                TopicPartition partition =
                        new TopicPartition(first.record().topic(), first.partition());
                if (held.contains(partition)) {
                    applied.merge(
                            partition,
                            new Offsets(first.offset(), batch.get(i - 1).offset()),
                            Offsets::union);
                }
                from = i;
            }
        }
    }

    /**
     * Once a poll's batch is applied: the partitions where the store did not get the poll's last
     * record (dead-lettered, unwanted or refused) are passed on to it, so that its position moves
     * past them. Best effort: should the store not take it now, those records are read again at the
     * next assignment, as before — the batch is not failed for it.
     */
    void passed(ConsumerRecords<String, byte[]> records, List<BusEvent> appliedEvents) {
        Map<Integer, Long> lastApplied = new HashMap<>();
        appliedEvents.forEach(e -> lastApplied.merge(e.partition(), e.offset(), Math::max));
        Map<Integer, Long> passed = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> polled = records.records(partition);
            long last = polled.get(polled.size() - 1).offset();
            Long applied = lastApplied.get(partition.partition());
            if (held.contains(partition) && (applied == null || applied < last)) {
                passed.put(partition.partition(), last);
            }
        }
        if (passed.isEmpty()) {
            return;
        }
        try {
            store.passed(passed);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "%s: the store did not take the position past records it was not given (%s);"
                            + " they are read again at the next assignment",
                    settings.name(), e.getMessage());
        }
    }

    /**
     * After the store failed: what it lost of the events this process applied, by partition held,
     * as offset ranges — never before the first event this process applied there, so a store that
     * holds nothing of a partition is not filled with history this subscriber never counted; empty
     * when it lost nothing. Reads the store, so it fails while the store is down.
     */
    Map<TopicPartition, Offsets> lost() {
        if (applied.isEmpty()) {
            return Map.of();
        }
        Map<Integer, Long> stored = store.nextOffsets();
        Map<TopicPartition, Offsets> lost = new HashMap<>();
        applied.forEach(
                (partition, offsets) -> {
                    long next = stored.getOrDefault(partition.partition(), 0L);
                    if (held.contains(partition) && next <= offsets.last()) {
                        lost.put(
                                partition,
                                new Offsets(Math.max(next, offsets.first()), offsets.last()));
                    }
                });
        return lost;
    }

    /**
     * Reads the ranges again from the bus, a poll at a time, handing each poll's records to {@code
     * apply}; a range whose start retention deleted meanwhile starts at what is left.
     */
    void reread(Map<TopicPartition, Offsets> ranges, RecordsHandler apply) throws Exception {
        Map<String, Object> config =
                new HashMap<>(KafkaConnection.properties(settings.bootstrapServers()));
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.name() + "-store-recovery");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> reader =
                new KafkaConsumer<>(
                        config, new StringDeserializer(), new ByteArrayDeserializer())) {
            reader.assign(ranges.keySet());
            Map<TopicPartition, Long> untilAfter = new HashMap<>();
            ranges.forEach(
                    (partition, range) -> {
                        reader.seek(partition, range.first());
                        untilAfter.put(partition, range.last());
                    });
            long events = 0;
            long stalledSince = System.nanoTime();
            while (true) {
                // A partition handed over meanwhile is its new owner's to put right.
                untilAfter.keySet().retainAll(held);
                if (untilAfter.isEmpty()) {
                    break;
                }
                if (System.nanoTime() - stalledSince > STALLED.toNanos()) {
                    // The caller's retry loop backs off and tries again.
                    throw new IllegalStateException(
                            settings.name() + " could not read " + untilAfter.keySet() + " again");
                }
                ConsumerRecords<String, byte[]> records = reader.poll(POLL);
                if (!records.isEmpty()) {
                    stalledSince = System.nanoTime();
                }
                List<ConsumerRecord<String, byte[]>> inRange = new ArrayList<>();
                for (var record : records) {
                    Long last =
                            untilAfter.get(new TopicPartition(record.topic(), record.partition()));
                    if (last != null && record.offset() <= last) {
                        inRange.add(record);
                    }
                }
                apply.handle(inRange);
                events += inRange.size();
                for (TopicPartition partition : Set.copyOf(untilAfter.keySet())) {
                    if (reader.position(partition) > untilAfter.get(partition)) {
                        untilAfter.remove(partition);
                        reader.pause(List.of(partition));
                    }
                }
            }
            LOG.warnf(
                    "%s: its store had lost writes of %s; read %d records of them again from the bus",
                    settings.name(), ranges.keySet(), events);
        }
    }

    private static long from(
            Map<Integer, Long> stored, Map<TopicPartition, Long> beginnings, TopicPartition p) {
        return Math.max(stored.getOrDefault(p.partition(), 0L), beginnings.getOrDefault(p, 0L));
    }

    /** What is done with records read again. */
    @FunctionalInterface
    interface RecordsHandler {
        void handle(List<ConsumerRecord<String, byte[]>> records) throws Exception;
    }
}
