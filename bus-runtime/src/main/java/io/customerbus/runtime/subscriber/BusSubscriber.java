package io.customerbus.runtime.subscriber;

import io.customerbus.events.json.InvalidEventException;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusRecord;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.runtime.tracing.BusTracing;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * What the toolkit does for one subscriber channel around the service's handler: skips unwanted
 * types on the {@code ce_type} header, dead-letters records that break the contract, flags history
 * being replayed, retries a batch that failed for a passing reason, dead-letters the one event a
 * handler rejects, paces, counts — and tells {@link BusPositions} what may be committed.
 */
public final class BusSubscriber {

    private static final Logger LOG = Logger.getLogger(BusSubscriber.class);

    /** Within Kubernetes' default termination grace (30 s), after the provider's send timeout. */
    static final Duration STOP_GRACE = Duration.ofSeconds(25);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final SubscriberSettings settings;
    private final BusPositions positions;
    private final Optional<StoreRecovery> recovery;
    private final DeadLetters deadLetters;
    private final BusTracing tracing;
    private final Pacer pacer;
    private final AtomicLong replayed = new AtomicLong();
    private final EventCounts byType = new EventCounts();
    private final ExecutorService writer;
    // Set and read by the channel's worker only; the connector hands it one batch at a time.
    private volatile Future<Void> written;
    private volatile boolean running = true;
    private volatile boolean failed;
    private volatile LongConsumer appliedAfterMillis = millis -> {};

    BusSubscriber(
            SubscriberSettings settings,
            BusPositions positions,
            Optional<StoreRecovery> recovery,
            DeadLetters deadLetters,
            BusTracing tracing) {
        this.settings = settings;
        this.positions = positions;
        this.recovery = recovery;
        this.deadLetters = deadLetters;
        this.tracing = tracing;
        this.pacer = new Pacer(settings.maxEventsPerSecond(), System.nanoTime());
        this.writer =
                Executors.newSingleThreadExecutor(
                        task -> {
                            Thread thread = new Thread(task, settings.name() + "-writer");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /**
     * Takes one poll's records: decodes them (dead-lettering what breaks the contract) while the
     * previous batch is still being written, then hands them to the writer and returns — the two
     * cores decode and write side by side, as the replay benchmark wants. At most one batch is
     * written at a time, in order; its offsets are committed once it is applied (not when the
     * connector acknowledges the hand-over), so a crash only means events read again.
     */
    public void apply(ConsumerRecords<String, byte[]> records, BatchHandler handler)
            throws InterruptedException {
        List<BusEvent> events = decode(records);
        awaitWritten();
        if (!running) {
            return; // stopping: not applied, so not committed — read again after the restart
        }
        written =
                writer.submit(
                        () -> {
                            write(events, handler);
                            recovery.ifPresent(r -> r.passed(records, events));
                            positions.applied(records);
                            return null;
                        });
        Duration pause = pacer.after(records.count(), System.nanoTime());
        if (!pause.isZero()) {
            Thread.sleep(pause.toMillis());
        }
    }

    /**
     * Waits for the batch being written; an Error there stops the channel (failure-strategy fail).
     */
    private void awaitWritten() throws InterruptedException {
        Future<Void> previous = written;
        if (previous == null) {
            return;
        }
        try {
            previous.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            if (!running && e.getCause() instanceof InterruptedException) {
                return; // a stop broke off the batch's retry: it is read again after the restart
            }
            throw new IllegalStateException(settings.name() + " could not write a batch", e);
        }
    }

    private void write(List<BusEvent> events, BatchHandler handler) throws InterruptedException {
        try {
            applyWithRetry(events, handler);
        } catch (Error e) {
            // Not a passing failure: the channel stops, and says so at once.
            failed = true;
            throw e;
        }
    }

    private List<BusEvent> decode(ConsumerRecords<String, byte[]> records)
            throws InterruptedException {
        List<BusEvent> events = new ArrayList<>(records.count());
        long newest = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            newest = Math.max(newest, record.timestamp());
            try {
                BusRecord read = BusRecordCodec.decode(record, settings.types());
                if (read instanceof BusRecord.Wanted wanted) {
                    BusEvent event = event(record, wanted, true);
                    if (event.replayed()) {
                        replayed.incrementAndGet();
                    }
                    events.add(event);
                } else if (read instanceof BusRecord.Unwanted unwanted) {
                    byType.add(EventCounts.Outcome.SKIPPED, unwanted.eventType(), 1);
                }
            } catch (InvalidEventException e) {
                deadLetter(record, e.getMessage());
            }
        }
        positions.lag().batch(newest);
        return events;
    }

    /**
     * A wanted record as the handler gets it; a span of its own only for a live event read the
     * first time (history being replayed, or read again for a store, adds nothing to its trace).
     */
    private BusEvent event(
            ConsumerRecord<String, byte[]> record, BusRecord.Wanted wanted, boolean firstRead) {
        boolean replay =
                positions.isReplay(
                        new TopicPartition(record.topic(), record.partition()), record.offset());
        Span span =
                replay || !firstRead
                        ? Span.getInvalid()
                        : tracing.processing(
                                settings.name(), record, wanted.event(), wanted.trace());
        return new BusEvent(wanted.event(), wanted.trace(), replay, record, span);
    }

    private void applyWithRetry(List<BusEvent> batch, BatchHandler handler)
            throws InterruptedException {
        Backoff backoff = new Backoff(Duration.ofMillis(200), MAX_BACKOFF);
        boolean storeFailed = false;
        while (running) {
            try {
                if (storeFailed && recovery.isPresent()) {
                    recoverStore(recovery.get(), handler);
                }
                if (!batch.isEmpty()) {
                    handler.handle(batch);
                }
                recovery.ifPresent(r -> r.applied(batch));
                counted(batch);
                return;
            } catch (PoisonEventException poison) {
                BusEvent rejected = rejectedIn(batch, poison);
                deadLetter(rejected.record(), poison.getMessage());
                BusTracing.end(rejected.span(), poison);
                batch.remove(rejected);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                storeFailed = true;
                batch.forEach(event -> event.span().recordException(e));
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
        throw new InterruptedException(settings.name() + " stopped while applying a batch");
    }

    /**
     * Before the batch in hand is applied to a store that failed: the events it lost of those
     * applied before are read again and applied first. Those that break the contract or that the
     * handler rejects were dead-lettered when first read, and are passed over now.
     */
    private void recoverStore(StoreRecovery store, BatchHandler handler) throws Exception {
        var lost = store.lost();
        if (lost.isEmpty()) {
            return;
        }
        store.reread(
                lost,
                records -> {
                    List<BusEvent> events = new ArrayList<>(records.size());
                    for (ConsumerRecord<String, byte[]> record : records) {
                        try {
                            if (BusRecordCodec.decode(record, settings.types())
                                    instanceof BusRecord.Wanted wanted) {
                                events.add(event(record, wanted, false));
                            }
                        } catch (InvalidEventException e) {
                            // dead-lettered when first read
                        }
                    }
                    while (!events.isEmpty()) {
                        try {
                            handler.handle(events);
                            return;
                        } catch (PoisonEventException poison) {
                            events.remove(rejectedIn(events, poison));
                        }
                    }
                });
    }

    private void counted(List<BusEvent> batch) {
        long now = System.currentTimeMillis();
        for (BusEvent e : batch) {
            e.span().end();
            byType.add(EventCounts.Outcome.APPLIED, e.event().eventType(), 1);
            if (!e.replayed()) {
                appliedAfterMillis.accept(now - e.record().timestamp());
            }
        }
    }

    private static BusEvent rejectedIn(List<BusEvent> batch, PoisonEventException poison) {
        return batch.stream()
                .filter(e -> e.event().eventId().equals(poison.eventId()))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "handler rejected an event not in its batch", poison));
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
                byType.add(
                        EventCounts.Outcome.DEAD_LETTERED,
                        BusHeaders.text(record.headers(), BusHeaders.CE_TYPE),
                        1);
                LOG.warnf(
                        "%s dead-lettered %s-%d@%d: %s",
                        settings.name(),
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        reason);
                return;
            } catch (ExecutionException e) {
                Duration pause = backoff.next();
                LOG.errorf(
                        "%s cannot write to its dead-letter topic %s (%s); retrying in %s",
                        settings.name(), deadLetters.topic(), e.getCause().getMessage(), pause);
                Thread.sleep(pause.toMillis());
            }
        }
        throw new InterruptedException(settings.name() + " stopped while dead-lettering");
    }

    /**
     * Stops retrying: the service is shutting down. The batch in hand is interrupted — a retry's
     * wait ends at once, and the batch is read again later — but given up to {@link #STOP_GRACE} to
     * end: a handler that already handed work to another system (an email to the provider) waits
     * for its answer and records it, else that work would be done again after the restart. In two
     * steps, so that a service's channels all stop at once and share the grace ({@link
     * BusSubscribers}): one after the other, two channels took up to twice as long, past the 30 s
     * Kubernetes waits before it kills the pod.
     */
    void beginStop() {
        running = false;
        writer.shutdownNow();
        LOG.infof(
                "%s stopping: the batch in hand has up to %s to end", settings.name(), STOP_GRACE);
    }

    /** Waits for the batch in hand to end, until {@code deadline} at most. */
    void awaitStop(Instant deadline) {
        try {
            long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
            if (!writer.awaitTermination(left, TimeUnit.MILLISECONDS)) {
                LOG.warnf(
                        "%s: the batch in hand did not end within %s", settings.name(), STOP_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetters.close();
    }

    public SubscriberSettings settings() {
        return settings;
    }

    /** Joined its group (possibly with no partitions) and not stopped by an error. */
    public boolean ready() {
        return positions.joined() && !failed;
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

    /** Events read again after a replay (before the group's replay boundary). */
    public long replayed() {
        return replayed.get();
    }

    /** Records counted by outcome and event type. */
    public EventCounts byType() {
        return byType;
    }

    /** Records on its partitions not applied yet: 0 when caught up, NaN while unknown. */
    public double lagRecords() {
        return failed ? Double.NaN : positions.lag().records();
    }

    /** How far behind the bus it is, in seconds: 0 once it is caught up. */
    public double lagSeconds() {
        return positions.lag().seconds();
    }

    /**
     * Where each live event's delay from its record time (when it occurred) to applied goes, for
     * the end-to-end latency metric; replayed events are left out, their age is not a delay.
     */
    void reportLatencyTo(LongConsumer millis) {
        this.appliedAfterMillis = millis;
    }
}
