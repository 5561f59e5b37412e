package io.customerbus.events.consumer;

import io.customerbus.events.json.InvalidEventException;
import io.customerbus.events.kafka.BusRecord;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private volatile boolean running = true;

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
        this.thread = new Thread(this::run, settings.name() + "-subscriber");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public long applied() {
        return applied.get();
    }

    public long skipped() {
        return skipped.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    /** Events read again after a replay (before the group's replay boundary). */
    public long replayed() {
        return replayed.get();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(BusTopics.CUSTOMER_EVENTS), boundaries);
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty() && apply(records)) {
                    consumer.commitSync(nextOffsets(records));
                }
            }
        } catch (WakeupException e) {
            LOG.debugf("%s subscriber woken up to stop", settings.name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s subscriber stopped", settings.name());
        } finally {
            consumer.close(Duration.ofSeconds(5));
            deadLetters.close();
        }
    }

    /** True once every record of the poll is applied, skipped or dead-lettered. */
    private boolean apply(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<BusEvent> batch = new ArrayList<>(records.count());
        Map<UUID, ConsumerRecord<String, byte[]>> sources = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                BusRecord read = BusRecordCodec.decode(record, settings.types());
                if (read instanceof BusRecord.Wanted wanted) {
                    TopicPartition partition =
                            new TopicPartition(record.topic(), record.partition());
                    boolean replay = boundaries.isReplay(partition, record.offset());
                    if (replay) {
                        replayed.incrementAndGet();
                    }
                    batch.add(
                            new BusEvent(
                                    wanted.event(),
                                    wanted.trace(),
                                    record.partition(),
                                    record.offset(),
                                    replay));
                    sources.put(wanted.event().eventId(), record);
                } else {
                    skipped.incrementAndGet();
                }
            } catch (InvalidEventException e) {
                deadLetter(record, e.getMessage());
            }
        }
        return applyWithRetry(batch, sources);
    }

    private boolean applyWithRetry(
            List<BusEvent> batch, Map<UUID, ConsumerRecord<String, byte[]>> sources)
            throws InterruptedException {
        Backoff backoff = new Backoff(Duration.ofMillis(200), MAX_BACKOFF);
        while (running) {
            try {
                if (!batch.isEmpty()) {
                    handler.handle(batch);
                }
                applied.addAndGet(batch.size());
                return true;
            } catch (PoisonEventException poison) {
                ConsumerRecord<String, byte[]> source = sources.get(poison.eventId());
                if (source == null) {
                    throw new IllegalStateException(
                            "handler rejected an event not in its batch", poison);
                }
                deadLetter(source, poison.getMessage());
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

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason)
            throws InterruptedException {
        try {
            deadLetters.send(record, reason);
            deadLettered.incrementAndGet();
            LOG.warnf(
                    "%s dead-lettered %s-%d@%d: %s",
                    settings.name(), record.topic(), record.partition(), record.offset(), reason);
        } catch (java.util.concurrent.ExecutionException e) {
            // Not committing is the only safe path: the record is read again after a restart.
            throw new IllegalStateException(
                    "dead-letter topic unavailable: " + e.getCause().getMessage(), e);
        }
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

    private static Properties properties(SubscriberSettings settings) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
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
