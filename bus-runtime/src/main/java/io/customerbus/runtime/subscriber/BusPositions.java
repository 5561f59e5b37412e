package io.customerbus.runtime.subscriber;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The connector's commit strategy for one subscriber channel: commits what the subscriber applied,
 * with the replay boundary in the committed offset's metadata, and hands partitions over at the
 * exact position. Kafka's position after a poll ({@link ConsumerRecords#nextOffsets()}) is what is
 * committed, so transaction markers are passed too and a caught-up group shows a lag of 0.
 */
final class BusPositions implements KafkaCommitHandler {

    private static final Logger LOG = Logger.getLogger(BusPositions.class);

    /**
     * How long after a batch is applied its offsets are committed, with whatever else is applied by
     * then (and after the poll the polling thread may be in). At live rates a poll holds a few
     * events, and a commit per poll made the group coordinator write an offset per few events: the
     * broker was the platform's largest CPU user at 250 purchases/s.
     */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private static final Duration LAG_REFRESH_INTERVAL = Duration.ofSeconds(1);

    private final AtomicBoolean lagRefreshing = new AtomicBoolean();

    private final SubscriberSettings settings;
    private final KafkaConsumer<?, ?> consumer;
    private final Optional<StoreRecovery> store;
    private final ReplayBoundaries boundaries = new ReplayBoundaries();
    // Next offsets applied but not committed yet, and where never-committed partitions were pinned.
    private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> pinned = new ConcurrentHashMap<>();
    // The group's position on each partition when this member got it: nothing below it is
    // committed again (a batch still being written when the partition went away and came back).
    private final Map<TopicPartition, Long> floors = new ConcurrentHashMap<>();
    private final SubscriberLag lag = new SubscriberLag();
    private final AtomicBoolean commitScheduled = new AtomicBoolean();
    private volatile boolean joined;
    private volatile boolean terminated;

    BusPositions(
            SubscriberSettings settings,
            KafkaConsumer<?, ?> consumer,
            Optional<StoreRecovery> store) {
        this.settings = settings;
        this.consumer = consumer;
        this.store = store;
    }

    boolean joined() {
        return joined;
    }

    SubscriberLag lag() {
        return lag;
    }

    boolean isReplay(TopicPartition partition, long offset) {
        return boundaries.isReplay(partition, offset);
    }

    /**
     * Called by the subscriber once a poll's records are applied: commits them {@link
     * #COMMIT_INTERVAL} later, together with whatever else is applied by then.
     */
    void applied(ConsumerRecords<?, ?> records) {
        Map<TopicPartition, OffsetAndMetadata> next = records.nextOffsets();
        for (TopicPartition partition : records.partitions()) {
            var inPartition = records.records(partition);
            long afterLast = inPartition.get(inPartition.size() - 1).offset() + 1;
            OffsetAndMetadata position = next.get(partition);
            long offset = position == null ? afterLast : Math.max(afterLast, position.offset());
            applied.merge(partition, offset, Math::max);
        }
        scheduleCommit();
    }

    /**
     * One request on the polling thread, not awaited: the writer need not wait for the broker, and
     * a commit lost in a crash only means events read again (handlers dedupe). Partitions handed
     * over are committed at once ({@link #partitionsRevoked}), so the wait costs only re-reads
     * after a crash.
     */
    private void scheduleCommit() {
        if (terminated || !commitScheduled.compareAndSet(false, true)) {
            return;
        }
        onPollingThreadIn(COMMIT_INTERVAL, this::commitApplied)
                .subscribe()
                .with(
                        done -> {},
                        failure -> {
                            // The polling thread is gone (the consumer closed): nothing to retry
                            // on; a consumer that goes on calls applied() and schedules again.
                            commitScheduled.set(false);
                            if (!terminated) {
                                LOG.warnf("%s commit failed: %s", name(), failure);
                            }
                        });
    }

    /** Work on the polling thread — the only one that may use the client — after a delay. */
    private Uni<Void> onPollingThreadIn(
            Duration delay, java.util.function.Consumer<Consumer<?, ?>> work) {
        return Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(delay)
                .chain(() -> consumer.runOnPollingThread(work::accept));
    }

    /**
     * The connector acknowledges a batch once it is handed to the writer, before it is applied:
     * nothing to commit then; {@link #applied} commits once it is.
     */
    @Override
    public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
        return Uni.createFrom().voidItem();
    }

    private void commitApplied(Consumer<?, ?> client) {
        // Cleared before reading what is applied: offsets applied from here on schedule another.
        commitScheduled.set(false);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        var assigned = client.assignment();
        for (TopicPartition partition : Map.copyOf(applied).keySet()) {
            Long next = applied.remove(partition);
            if (next != null
                    && assigned.contains(partition)
                    && next >= floors.getOrDefault(partition, 0L)) {
                offsets.put(partition, offsetAt(partition, next));
                pinned.remove(partition);
            }
        }
        if (commit(client, offsets)) {
            // The lag gauge counts from what the broker holds, not from what was attempted.
            offsets.forEach((partition, offset) -> lag.committed(partition, offset.offset()));
        } else {
            // Kept for the next attempt; a partition that has moved on by then is dropped there
            // (its new owner reads the events again).
            offsets.forEach(
                    (partition, offset) -> applied.merge(partition, offset.offset(), Math::max));
            scheduleCommit();
        }
        lag.refresh(client);
    }

    private OffsetAndMetadata offsetAt(TopicPartition partition, long next) {
        return new OffsetAndMetadata(next, boundaries.metadataFor(partition, next));
    }

    /**
     * Reads the replay boundaries of the new partitions; a partition the group never committed
     * starts, with "latest", at its end as of now — pinned here rather than at the first fetch, and
     * committed at once, so nothing published once this member is ready can be skipped, by it or,
     * should it crash before it applied anything there, by the member that takes over.
     */
    @Override
    public void partitionsAssigned(Collection<TopicPartition> partitions) {
        Consumer<?, ?> client = consumer.unwrap();
        Map<TopicPartition, OffsetAndMetadata> committed = client.committed(Set.copyOf(partitions));
        // Where applying starts on each partition, for the lag until the first commit.
        Map<TopicPartition, Long> applyFrom = new HashMap<>();
        committed.forEach(
                (partition, offset) -> {
                    if (offset != null) {
                        floors.put(partition, offset.offset());
                        applyFrom.put(partition, offset.offset());
                    }
                });
        Map<TopicPartition, Long> uncommitted = boundaries.assigned(client, partitions, committed);
        boolean latest = "latest".equals(settings.autoOffsetReset());
        applyFrom.putAll(latest ? uncommitted : client.beginningOffsets(uncommitted.keySet()));
        if (latest) {
            uncommitted.forEach(client::seek);
            pinned.putAll(uncommitted);
            Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
            uncommitted.forEach(
                    (partition, start) -> {
                        starts.put(partition, offsetAt(partition, start));
                        floors.put(partition, start);
                    });
            commit(client, starts);
        }
        store.ifPresent(recovery -> recovery.assigned(client, partitions, committed));
        lag.assigned(applyFrom);
        joined = true;
        if (lagRefreshing.compareAndSet(false, true)) {
            refreshLagEverySecond();
        }
    }

    /**
     * The lag is refreshed after each commit, and once a second besides: a subscriber with nothing
     * to apply commits nothing (an idle email subscriber, a subscriber of an empty bus), and nor
     * does one that cannot apply its batch (its store down) while events keep arriving — its gauge
     * must grow, not stay where the last commit left it.
     */
    private void refreshLagEverySecond() {
        if (terminated) {
            return;
        }
        onPollingThreadIn(LAG_REFRESH_INTERVAL, lag::refresh)
                .subscribe()
                .with(
                        done -> refreshLagEverySecond(),
                        failure -> {
                            // The polling thread is gone (the consumer closed): nothing to do.
                        });
    }

    /**
     * Before partitions move to another member: what was applied is committed, and so is the pinned
     * start of a partition nothing was applied from yet — otherwise its next owner would start over
     * by auto.offset.reset and, with "latest", skip what arrived in between. Records fetched but
     * not applied are dropped by the connector; the next owner reads them.
     */
    @Override
    public void partitionsRevoked(Collection<TopicPartition> partitions) {
        Consumer<?, ?> client = consumer.unwrap();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Long next = applied.remove(partition);
            Long start = pinned.remove(partition);
            if (next != null && next >= floors.getOrDefault(partition, 0L)) {
                offsets.put(partition, offsetAt(partition, next));
            } else if (start != null) {
                offsets.put(partition, offsetAt(partition, start));
            }
        }
        commit(client, offsets);
        partitions.forEach(floors::remove);
        store.ifPresent(recovery -> recovery.revoked(partitions));
        boundaries.revoked(partitions);
        lag.revoked(partitions);
    }

    @Override
    public void terminate(boolean graceful) {
        terminated = true;
        joined = false;
        lag.stopped();
    }

    /** False if the broker refused or did not answer. */
    private boolean commit(Consumer<?, ?> client, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return true;
        }
        try {
            client.commitSync(offsets, Duration.ofSeconds(5));
            return true;
        } catch (KafkaException e) {
            // If the partitions moved on, their new owner reads these events again and, handlers
            // being idempotent, nothing is applied twice.
            LOG.warnf("%s could not commit %s: %s", name(), offsets.keySet(), e.getMessage());
            return false;
        }
    }

    private String name() {
        return settings.name();
    }
}
