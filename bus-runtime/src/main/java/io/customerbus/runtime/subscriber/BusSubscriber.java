package io.customerbus.runtime.subscriber;

import io.customerbus.events.json.InvalidEventException;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusRecord;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.runtime.kafka.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes the bus for one subscriber: skips unwanted types on the header, dead-letters records
 * that break the contract, hands each poll's valid events to the handler as one batch, and commits
 * offsets only after the batch is applied (at-least-once; the handler dedupes by eventId). Kafka's
 * own consumer, not a framework channel, because the committed offsets carry the replay boundary in
 * their metadata.
 */
public final class BusSubscriber implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BusSubscriber.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final SubscriberSettings settings;
    private final BatchHandler handler;
    private final KafkaConsumer<String, byte[]> consumer;
    private final DeadLetters deadLetters;
    private final ReplayBoundaries boundaries;
    private final Thread thread;
    // Writes one batch while the polling thread decodes the next: two cores, both busy.
    private final java.util.concurrent.ExecutorService writer;
    private java.util.concurrent.Future<Boolean> inFlight;
    private Map<TopicPartition, OffsetAndMetadata> inFlightOffsets;
    private final Pacer pacer;
    private final AtomicLong replayed = new AtomicLong();
    private final EventCounts byType = new EventCounts();
    // Records on this member's partitions not applied yet; NaN until every partition has been
    // fetched from once (the client does not know their ends before).
    private volatile double lagRecords = Double.NaN;
    private volatile boolean running = true;
    private volatile boolean joined;
    // Record time of the newest record of the batch in hand; 0 when the last poll was empty.
    private volatile long newestRecordTime;
    // Told, per live event applied, how long after it occurred (its record time) it was applied.
    private volatile java.util.function.LongConsumer appliedAfterMillis = millis -> {};

    public BusSubscriber(SubscriberSettings settings, BatchHandler handler) {
        this.settings = settings;
        this.handler = handler;
        this.consumer =
                new KafkaConsumer<>(
                        properties(settings),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
        this.deadLetters = new DeadLetters(settings.name(), settings.bootstrapServers());
        this.boundaries = new ReplayBoundaries(consumer);
        this.pacer = new Pacer(settings.maxEventsPerSecond(), System.nanoTime());
        this.thread = new Thread(this::run, settings.name() + "-subscriber");
        thread.setDaemon(true);
        this.writer =
                java.util.concurrent.Executors.newSingleThreadExecutor(
                        task -> {
                            Thread t = new Thread(task, settings.name() + "-writer");
                            t.setDaemon(true);
                            return t;
                        });
    }

    public void start() {
        thread.start();
    }

    public long applied() {
        return byType.total(EventCounts.Outcome.APPLIED);
    }

    public long skipped() {
        return byType.total(EventCounts.Outcome.SKIPPED);
    }

    public long deadLettered() {
        return byType.total(EventCounts.Outcome.DEAD_LETTERED);
    }

    public SubscriberSettings settings() {
        return settings;
    }

    /** How far behind the bus this subscriber is, in seconds: 0 once it is caught up. */
    public double lagSeconds() {
        long newest = newestRecordTime;
        return newest == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - newest) / 1000.0);
    }

    /**
     * True once the group has given this member its partitions (possibly none), and as long as its
     * thread runs: a reader stopped by an error it could not get past is no longer ready.
     */
    public boolean joined() {
        return joined && consuming();
    }

    /** False once its thread has stopped, by close() or by an error it could not get past. */
    public boolean consuming() {
        return thread.isAlive();
    }

    /** Records counted by outcome and event type. */
    public EventCounts byType() {
        return byType;
    }

    /**
     * Records on this member's partitions that it has not applied yet: 0 means everything published
     * so far (as of its last poll) is applied; NaN while it cannot tell yet.
     */
    public double lagRecords() {
        return lagRecords;
    }

    /**
     * Where each live event's delay from its record time (when it occurred) to applied goes, for
     * the end-to-end latency metric; replayed events are left out, their age is not a delay.
     */
    public void reportLatencyTo(java.util.function.LongConsumer millis) {
        this.appliedAfterMillis = millis;
    }

    /** Events read again after a replay (before the group's replay boundary). */
    public long replayed() {
        return replayed.get();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(settings.topic()), new FinishBeforeRevoke());
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    finishInFlight();
                    lagRecords = currentLag();
                    newestRecordTime = 0;
                    pacer.idle(System.nanoTime());
                    continue;
                }
                Batch next = decode(records);
                // The previous batch was written while this one was decoded; its offsets are
                // committed only now that it is applied.
                finishInFlight();
                // Not applied yet: what is left on the partitions plus this batch.
                lagRecords = currentLag() + records.count();
                inFlight = writer.submit(() -> applyWithRetry(next.events()));
                inFlightOffsets = next.offsets();
                Duration pause = pacer.after(records.count(), System.nanoTime());
                if (!pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
            }
            finishInFlight();
        } catch (WakeupException e) {
            LOG.debugf("%s subscriber woken up to stop", settings.name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s subscriber stopped", settings.name());
        } finally {
            lagRecords = Double.NaN;
            writer.shutdownNow();
            consumer.close(Duration.ofSeconds(5));
            deadLetters.close();
        }
    }

    /** A poll's wanted events (each with its record) and the offsets to commit after them. */
    private record Batch(List<BusEvent> events, Map<TopicPartition, OffsetAndMetadata> offsets) {}

    /**
     * Waits for the batch being written and commits its offsets. Runs on the polling thread: the
     * Kafka consumer is single-threaded. A batch that could not be applied (shutdown while
     * retrying) is not committed, so it is read again.
     */
    private void finishInFlight() throws InterruptedException {
        if (inFlight == null) {
            return;
        }
        try {
            if (inFlight.get()) {
                consumer.commitSync(inFlightOffsets);
            }
        } catch (org.apache.kafka.clients.consumer.CommitFailedException
                | org.apache.kafka.common.errors.RebalanceInProgressException e) {
            // The partitions moved on; their new owner reads the batch again and, the handler
            // being idempotent, nothing is applied twice.
            LOG.warnf("%s could not commit after a rebalance: %s", settings.name(), e.getMessage());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("applying a batch failed", e.getCause());
        } finally {
            inFlight = null;
            inFlightOffsets = null;
        }
    }

    /** Commits what was applied before partitions move to another member. */
    private final class FinishBeforeRevoke implements ConsumerRebalanceListener {
        /**
         * Hands the partitions over at exactly where this member is: the batch in flight is applied
         * and committed, and so is the position of every other revoked partition — otherwise a
         * partition this member never committed would start over for its next owner by
         * auto.offset.reset, and with "latest" skip what arrived in between.
         */
        @Override
        public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
            try {
                finishInFlight();
                Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
                for (TopicPartition partition : partitions) {
                    long next = consumer.position(partition, Duration.ofSeconds(2));
                    positions.put(
                            partition,
                            new OffsetAndMetadata(next, boundaries.metadataFor(partition, next)));
                }
                consumer.commitSync(positions, Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (org.apache.kafka.common.KafkaException e) {
                LOG.warnf(
                        "%s could not commit before a rebalance: %s",
                        settings.name(), e.getMessage());
            }
            boundaries.onPartitionsRevoked(partitions);
        }

        /**
         * A partition the group never committed starts, with "latest", at its end as of now —
         * pinned here rather than at the first fetch, so nothing published once this member is
         * ready can be skipped.
         */
        @Override
        public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
            Map<TopicPartition, Long> uncommitted = boundaries.onPartitionsAssigned(partitions);
            if ("latest".equals(settings.autoOffsetReset())) {
                uncommitted.forEach(consumer::seek);
            }
            joined = true;
        }
    }

    /** Sorts a poll into wanted events, skipped types and dead letters (the latter sent now). */
    private Batch decode(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<BusEvent> batch = new ArrayList<>(records.count());
        long newest = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            newest = Math.max(newest, record.timestamp());
            try {
                BusRecord read = BusRecordCodec.decode(record, settings.types());
                if (read instanceof BusRecord.Wanted wanted) {
                    TopicPartition partition =
                            new TopicPartition(record.topic(), record.partition());
                    boolean replay = boundaries.isReplay(partition, record.offset());
                    if (replay) {
                        replayed.incrementAndGet();
                    }
                    batch.add(new BusEvent(wanted.event(), wanted.trace(), replay, record));
                } else if (read instanceof BusRecord.Unwanted unwanted) {
                    byType.add(EventCounts.Outcome.SKIPPED, unwanted.eventType(), 1);
                }
            } catch (InvalidEventException e) {
                deadLetter(record, e.getMessage());
            }
        }
        newestRecordTime = newest;
        return new Batch(batch, nextOffsets(records));
    }

    private boolean applyWithRetry(List<BusEvent> batch) throws InterruptedException {
        Backoff backoff = new Backoff(Duration.ofMillis(200), MAX_BACKOFF);
        while (running) {
            try {
                if (!batch.isEmpty()) {
                    handler.handle(batch);
                }
                long now = System.currentTimeMillis();
                for (BusEvent e : batch) {
                    byType.add(EventCounts.Outcome.APPLIED, e.event().eventType(), 1);
                    if (!e.replayed()) {
                        appliedAfterMillis.accept(now - e.record().timestamp());
                    }
                }
                return true;
            } catch (PoisonEventException poison) {
                BusEvent rejected =
                        batch.stream()
                                .filter(e -> e.event().eventId().equals(poison.eventId()))
                                .findFirst()
                                .orElseThrow(
                                        () ->
                                                new IllegalStateException(
                                                        "handler rejected an event not in its batch",
                                                        poison));
                deadLetter(rejected.record(), poison.getMessage());
                batch.removeIf(event -> event.event().eventId().equals(poison.eventId()));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                Duration pause = backoff.next();
                LOG.warnf(
                        e,
                        "%s could not apply %d events; retrying in %s",
                        settings.name(),
                        batch.size(),
                        pause);
                Thread.sleep(pause.toMillis());
            }
        }
        return false;
    }

    /**
     * Sends a record to the DLQ, retrying with backoff while the DLQ cannot take it (missing topic,
     * broker trouble): nothing after it is committed meanwhile, so nothing is lost, and the
     * subscriber goes on by itself once the DLQ is back.
     */
    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason)
            throws InterruptedException {
        Backoff backoff = new Backoff(Duration.ofMillis(500), MAX_BACKOFF);
        while (running) {
            try {
                deadLetters.send(record, reason);
                byType.add(EventCounts.Outcome.DEAD_LETTERED, type(record), 1);
                LOG.warnf(
                        "%s dead-lettered %s-%d@%d: %s",
                        settings.name(),
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        reason);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                Duration pause = backoff.next();
                LOG.errorf(
                        "%s cannot write to its dead-letter topic %s (%s); retrying in %s",
                        settings.name(), deadLetters.topic(), e.getCause().getMessage(), pause);
                Thread.sleep(pause.toMillis());
            }
        }
        throw new InterruptedException("stopped while dead-lettering");
    }

    /** The consumer's position, which is past the transaction markers too (lag ends at 0). */
    private Map<TopicPartition, OffsetAndMetadata> nextOffsets(
            ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            long next = consumer.position(partition);
            offsets.put(
                    partition,
                    new OffsetAndMetadata(next, boundaries.metadataFor(partition, next)));
        }
        return offsets;
    }

    /** The lag the client knows for its partitions (from fetch responses, no extra call). */
    private double currentLag() {
        if (!joined) {
            return Double.NaN;
        }
        long lag = 0;
        for (TopicPartition partition : consumer.assignment()) {
            var known = consumer.currentLag(partition);
            if (known.isEmpty()) {
                return Double.NaN;
            }
            lag += known.getAsLong();
        }
        return lag;
    }

    private static String type(ConsumerRecord<String, byte[]> record) {
        var header = record.headers().lastHeader(BusHeaders.CE_TYPE);
        return header == null
                ? null
                : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Properties properties(SubscriberSettings settings) {
        Properties props = new Properties();
        props.putAll(KafkaConnection.properties(settings.bootstrapServers()));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Publishers write in transactions; an aborted batch must never be seen.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.autoOffsetReset());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        return props;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
