package io.customerbus.runtime.operations;

import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.subscriber.DeadLetters;
import io.customerbus.runtime.subscriber.Retries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A subscriber's dead-letter topic and what operators do with it: read it, re-drive records to the
 * subscriber's own retry topic (never the bus), purge it. One implementation for every tool (the
 * bus CLI, the console), each action recorded in the {@link AuditLog}; the caller brings the
 * clients and closes them.
 *
 * <p>A record re-driven {@link #MAX_REDRIVES} times and dead-lettered again is refused as a loop:
 * what fails after that many fixes needs a look, not another round. The count travels in the
 * record's {@link #REDRIVES} header, which the retry and dead-letter topics carry along.
 */
public final class DeadLetterQueue {

    public static final String REDRIVES = "dlq-redrives";
    public static final int MAX_REDRIVES = 3;

    private static final int DEFAULT_BATCH_SIZE = 16_384;
    private static final long IN_FLIGHT_BYTES = 4L << 20;

    /**
     * Which dead letters an action takes: those whose reason contains {@code reason} (any case), of
     * event type {@code type}, dead-lettered at or after {@code since}; null keeps all.
     */
    public record Filter(String reason, String type, Instant since)
            implements Predicate<ConsumerRecord<String, byte[]>> {

        public static final Filter ALL = new Filter(null, null, null);

        @Override
        public boolean test(ConsumerRecord<String, byte[]> record) {
            String why = BusHeaders.text(record.headers(), DeadLetters.REASON);
            String failedAt = BusHeaders.text(record.headers(), DeadLetters.FAILED_AT);
            return (reason == null
                            || (why != null
                                    && why.toLowerCase(Locale.ROOT)
                                            .contains(reason.toLowerCase(Locale.ROOT))))
                    && (type == null
                            || type.equals(BusHeaders.text(record.headers(), BusHeaders.CE_TYPE)))
                    && (since == null
                            || (failedAt != null && !Instant.parse(failedAt).isBefore(since)));
        }
    }

    /**
     * The letters a view of the DLQ read: those below {@code seen}, the end offset of each
     * partition (by number) when it was read, so that an action on what an operator saw leaves the
     * letters dead-lettered since. An empty {@code seen} sets no bound; a partition missing from it
     * is left out, as {@link #purge} leaves it.
     */
    public static Predicate<ConsumerRecord<String, byte[]>> seenIn(Map<Integer, Long> seen) {
        return letter ->
                seen.isEmpty() || letter.offset() < seen.getOrDefault(letter.partition(), 0L);
    }

    private final String subscriber;
    private final String topic;
    private final String bootstrapServers;

    public DeadLetterQueue(String subscriber, String bootstrapServers) {
        this.subscriber = subscriber;
        this.topic = BusTopics.deadLetter(subscriber);
        this.bootstrapServers = bootstrapServers;
    }

    public String subscriber() {
        return subscriber;
    }

    public String topic() {
        return topic;
    }

    /** Fails (ExecutionException caused by UnknownTopicOrPartitionException) without a DLQ. */
    public void requireTopic(Admin admin) throws ExecutionException, InterruptedException {
        admin.describeTopics(List.of(topic)).allTopicNames().get();
    }

    /**
     * The subscriber's retry topic, where re-drives go, if it has one: only subscribers that retry
     * on their own (the email subscriber) read one. Without it a re-drive is refused (see {@link
     * NoRetryTopicException}) — it used to wait a minute for the topic and fail as if the broker
     * were down.
     */
    public Optional<String> retryTopic(Admin admin)
            throws ExecutionException, InterruptedException {
        String retry = BusTopics.retry(subscriber);
        try {
            admin.describeTopics(List.of(retry)).allTopicNames().get();
            return Optional.of(retry);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Fails with {@link NoRetryTopicException} when the subscriber has no retry topic. */
    public void requireRetryTopic(Admin admin) throws ExecutionException, InterruptedException {
        if (retryTopic(admin).isEmpty()) {
            throw new NoRetryTopicException(subscriber);
        }
    }

    /**
     * The dead letters that match, read to the current end of the DLQ, oldest first per partition.
     */
    public List<ConsumerRecord<String, byte[]>> letters(
            Admin admin,
            KafkaConsumer<String, byte[]> reader,
            Predicate<ConsumerRecord<String, byte[]>> which)
            throws ExecutionException, InterruptedException {
        requireTopic(admin);
        return TopicScan.all(reader, topic, which);
    }

    /** The dead letter at that position, if there is one. */
    public Optional<ConsumerRecord<String, byte[]>> letter(
            Admin admin, KafkaConsumer<String, byte[]> reader, int partition, long offset)
            throws ExecutionException, InterruptedException {
        requireTopic(admin);
        return TopicScan.at(reader, new TopicPartition(topic, partition), offset);
    }

    private static String reasonOf(ConsumerRecord<String, byte[]> letter) {
        return Optional.ofNullable(BusHeaders.text(letter.headers(), DeadLetters.REASON))
                .orElse("-");
    }

    /**
     * What a view of the DLQ shows: how many letters, when the oldest was dead-lettered (null when
     * none says), how many for each reason, the newest ones (without their bodies), and the end
     * offset of each partition it read to — what a purge of what was shown deletes up to.
     */
    public record Listing(
            int count,
            String oldest,
            Map<String, Integer> byReason,
            List<ConsumerRecord<String, byte[]>> newest,
            Map<Integer, Long> upTo) {}

    /**
     * Reads the whole DLQ, counting the letters {@code which} accepts and holding at most {@code
     * keep} of them, newest dead-lettered first, and those without their bodies: a subscriber that
     * dead-letters everything may leave more letters than a view has memory for.
     */
    public Listing list(
            Admin admin,
            KafkaConsumer<String, byte[]> reader,
            Predicate<ConsumerRecord<String, byte[]>> which,
            int keep)
            throws ExecutionException, InterruptedException {
        requireTopic(admin);
        Comparator<ConsumerRecord<String, byte[]>> byFailedAt =
                Comparator.comparing(
                        DeadLetterQueue::failedAt,
                        Comparator.nullsFirst(Comparator.<String>naturalOrder()));
        PriorityQueue<ConsumerRecord<String, byte[]>> newest = new PriorityQueue<>(byFailedAt);
        Map<String, Integer> reasons = new TreeMap<>();
        int[] count = {0};
        String[] oldest = {null};
        Map<TopicPartition, Long> ends =
                TopicScan.each(
                        reader,
                        topic,
                        letter -> {
                            if (!which.test(letter)) {
                                return;
                            }
                            count[0]++;
                            reasons.merge(reasonOf(letter), 1, Integer::sum);
                            String failedAt = failedAt(letter);
                            if (failedAt != null
                                    && (oldest[0] == null || failedAt.compareTo(oldest[0]) < 0)) {
                                oldest[0] = failedAt;
                            }
                            if (keep > 0) {
                                newest.add(withoutBody(letter));
                                if (newest.size() > keep) {
                                    newest.poll(); // the oldest of those kept
                                }
                            }
                        });
        List<ConsumerRecord<String, byte[]>> listed = new ArrayList<>(newest);
        listed.sort(byFailedAt.reversed());
        Map<Integer, Long> upTo = new TreeMap<>();
        ends.forEach((p, end) -> upTo.put(p.partition(), end));
        return new Listing(count[0], oldest[0], reasons, listed, upTo);
    }

    /**
     * Hands the letters {@code which} accepts to {@code each}, oldest first per partition, up to
     * where a {@link Listing} read ({@code upTo}), holding none: a listing's lines, after its
     * counts, of the same letters.
     */
    public void each(
            KafkaConsumer<String, byte[]> reader,
            Map<Integer, Long> upTo,
            Predicate<ConsumerRecord<String, byte[]>> which,
            Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<Integer, TopicScan.Range> ranges = new HashMap<>();
        upTo.forEach((partition, end) -> ranges.put(partition, new TopicScan.Range(0, end)));
        read(
                reader,
                ranges,
                letter -> {
                    if (which.test(letter)) {
                        each.accept(letter);
                    }
                    return true;
                });
    }

    /** Reads the DLQ's partitions (by number) in their ranges: {@link TopicScan#ranges}. */
    private void read(
            KafkaConsumer<String, byte[]> reader,
            Map<Integer, TopicScan.Range> ranges,
            Predicate<ConsumerRecord<String, byte[]>> each) {
        Map<TopicPartition, TopicScan.Range> ofTopic = new HashMap<>();
        ranges.forEach(
                (partition, range) -> ofTopic.put(new TopicPartition(topic, partition), range));
        TopicScan.ranges(reader, ofTopic, each);
    }

    private static String failedAt(ConsumerRecord<String, byte[]> letter) {
        return BusHeaders.text(letter.headers(), DeadLetters.FAILED_AT);
    }

    private static ConsumerRecord<String, byte[]> withoutBody(ConsumerRecord<String, byte[]> r) {
        return new ConsumerRecord<>(
                r.topic(),
                r.partition(),
                r.offset(),
                r.timestamp(),
                r.timestampType(),
                r.serializedKeySize(),
                r.serializedValueSize(),
                r.key(),
                null,
                r.headers(),
                r.leaderEpoch());
    }

    /** A letter's place in the DLQ, as operators name it: partition@offset. */
    public record Position(int partition, long offset) {
        @Override
        public String toString() {
            return partition + "@" + offset;
        }
    }

    /**
     * What a re-drive did (or would do): how many went to the retry topic, those refused as loops,
     * and how many older copies of an event re-driven in its newest copy were left out.
     */
    public record Redriven(int redriven, List<Position> refused, int olderCopies) {}

    /**
     * What a re-drive of the letters {@code which} accepts would do, sending nothing: the newest
     * copy of each event, less those refused as loops. Refused ({@link NoRetryTopicException}) when
     * the subscriber has no retry topic.
     */
    public Redriven plan(
            Admin admin,
            KafkaConsumer<String, byte[]> reader,
            Predicate<ConsumerRecord<String, byte[]>> which)
            throws ExecutionException, InterruptedException {
        requireTopic(admin);
        requireRetryTopic(admin);
        return choose(reader, which).asPlan();
    }

    /**
     * Sends what {@link #plan} shows to the subscriber's own retry topic, due now, attempt 0, with
     * the original reason; those re-driven too often already are left in the DLQ. Subscribers act
     * once per event id, so a record that arrives twice is not acted on twice.
     *
     * <p>Two reads of the DLQ: the first chooses, holding an id and a position per event ({@link
     * NewestCopies}); the second reads the chosen letters' ranges and sends them as it reads them,
     * without waiting for each one's acknowledgement — the letters never all sit in memory, and a
     * large DLQ is not a round trip per letter. A failure stops it there; the count is of the
     * letters the broker acknowledged.
     */
    public Redriven redrive(
            Admin admin,
            KafkaConsumer<String, byte[]> reader,
            Predicate<ConsumerRecord<String, byte[]>> which,
            Actor actor)
            throws ExecutionException, InterruptedException, NotAudited {
        requireTopic(admin);
        requireRetryTopic(admin);
        Choice chosen = choose(reader, which);
        AtomicInteger redriven = new AtomicInteger();
        AtomicInteger found = new AtomicInteger();
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (Retries retries = new Retries(subscriber, bootstrapServers, producerSettings(admin))) {
            try {
                Map<Integer, TopicScan.Range> ranges = new HashMap<>();
                chosen.toSend()
                        .forEach(
                                (partition, sorted) ->
                                        ranges.put(
                                                partition,
                                                new TopicScan.Range(
                                                        sorted[0], sorted[sorted.length - 1] + 1)));
                read(
                        reader,
                        ranges,
                        letter -> {
                            long[] sorted = chosen.toSend().get(letter.partition());
                            if (Arrays.binarySearch(sorted, letter.offset()) >= 0) {
                                found.incrementAndGet();
                                send(retries, letter, redriven, failed);
                            }
                            return failed.get() == null;
                        });
            } finally {
                // Every send answered before the count is read (a close would cancel those
                // unanswered after its timeout, some of them perhaps in the retry topic).
                retries.flush();
            }
            if (failed.get() != null) {
                throw new ExecutionException(failed.get());
            }
        } catch (ExecutionException | RuntimeException failure) {
            // What was acknowledged before the failure is in the retry topic: the log says how
            // much.
            try {
                audit(
                        actor,
                        "redrive",
                        redriven.get(),
                        "to "
                                + BusTopics.retry(subscriber)
                                + "; stopped after "
                                + redriven.get()
                                + " of "
                                + chosen.count()
                                + " by a failure: "
                                + failure.getMessage());
            } catch (ExecutionException | RuntimeException auditFailed) {
                failure.addSuppressed(auditFailed);
            }
            throw failure;
        }
        Redriven done = new Redriven(redriven.get(), chosen.refused(), chosen.olderCopies());
        String detail = "to " + BusTopics.retry(subscriber);
        if (!done.refused().isEmpty()) {
            detail +=
                    "; refused "
                            + done.refused().size()
                            + " re-driven "
                            + MAX_REDRIVES
                            + " times already";
        }
        if (done.olderCopies() > 0) {
            detail +=
                    "; left out " + done.olderCopies() + " older copies of events re-driven again";
        }
        if (found.get() < chosen.count()) {
            // Deleted between the two reads (a purge from another tool, retention).
            detail += "; " + (chosen.count() - found.get()) + " chosen were gone when sent";
        }
        done(actor, "redrive", done.redriven(), detail);
        return done;
    }

    /**
     * At most {@link #IN_FLIGHT_BYTES} of letters held by the producer (its default, 32 MB, is more
     * than a tool's heap may have: sending blocks until acknowledged letters make room), in batches
     * no larger than the retry topic takes. A batch the broker refuses as too large is split and
     * sent again, and the producer's split fills batches up to its batch size: a letter too large
     * for the topic, sharing a batch with a smaller one, was split and refused without end. In
     * batches within the limit it is alone in its batch and refused for itself. (When the topic's
     * configs may not be read, the producer's default is left: a topic taking less than it, 16 KB,
     * is rare.)
     */
    private Map<String, Object> producerSettings(Admin admin) throws InterruptedException {
        ConfigResource retry =
                new ConfigResource(ConfigResource.Type.TOPIC, BusTopics.retry(subscriber));
        try {
            ConfigEntry limit =
                    admin.describeConfigs(List.of(retry))
                            .all()
                            .get()
                            .get(retry)
                            .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (limit != null && limit.value() != null) {
                return Map.of(
                        ProducerConfig.BUFFER_MEMORY_CONFIG,
                        IN_FLIGHT_BYTES,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        Math.min(DEFAULT_BATCH_SIZE, Integer.parseInt(limit.value())));
            }
        } catch (ExecutionException unreadable) {
            // The batch size left at the default, as above.
        }
        return Map.of(ProducerConfig.BUFFER_MEMORY_CONFIG, IN_FLIGHT_BYTES);
    }

    private static void send(
            Retries retries,
            ConsumerRecord<String, byte[]> letter,
            AtomicInteger acknowledged,
            AtomicReference<Exception> failed) {
        retries.send(
                letter,
                0,
                Instant.now(),
                "re-driven: " + BusHeaders.text(letter.headers(), DeadLetters.REASON),
                Map.of(REDRIVES, Integer.toString(redrivesOf(letter) + 1)),
                (metadata, failure) -> {
                    if (failure == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failed.compareAndSet(null, failure);
                    }
                });
    }

    /** The offsets to send of each partition, the loops, and the older copies left out. */
    private record Choice(Map<Integer, long[]> toSend, List<Position> refused, int olderCopies) {

        int count() {
            return toSend.values().stream().mapToInt(offsets -> offsets.length).sum();
        }

        Redriven asPlan() {
            return new Redriven(count(), refused, olderCopies);
        }
    }

    /** Chooses among the letters up to the DLQ's end when it starts. */
    private Choice choose(
            KafkaConsumer<String, byte[]> reader, Predicate<ConsumerRecord<String, byte[]>> which) {
        NewestCopies newest = new NewestCopies();
        TopicScan.each(
                reader,
                topic,
                letter -> {
                    if (which.test(letter)) {
                        newest.offer(letter);
                    }
                });
        return new Choice(newest.toSend(), newest.loops(), newest.olderCopies());
    }

    /** How often the record has been re-driven already. */
    public static int redrivesOf(ConsumerRecord<String, byte[]> letter) {
        String count = BusHeaders.text(letter.headers(), REDRIVES);
        return count == null || !count.matches("\\d{1,9}") ? 0 : Integer.parseInt(count);
    }

    /**
     * Deletes dead letters from the head of the DLQ — all, or those dead-lettered before a time
     * (Kafka deletes up to an offset, in order; a time from 1970 to 9999, else a
     * TimeOutOfRangeException before anything is read or deleted); returns how many.
     */
    public long purge(
            Admin admin,
            KafkaConsumer<String, byte[]> reader,
            Optional<Instant> before,
            Actor actor)
            throws ExecutionException, InterruptedException, NotAudited {
        return purge(admin, reader, before, Map.of(), actor);
    }

    /**
     * As above, and never past {@code seen}, the end offset of each partition (by number) when the
     * operator looked: letters that came in since were never shown, and are kept. A partition
     * missing from {@code seen} is not touched; an empty {@code seen} sets no bound.
     */
    public long purge(
            Admin admin,
            KafkaConsumer<String, byte[]> reader,
            Optional<Instant> before,
            Map<Integer, Long> seen,
            Actor actor)
            throws ExecutionException, InterruptedException, NotAudited {
        before.ifPresent(time -> RecordTimes.require(time, "dead letters are purged before"));
        requireTopic(admin);
        List<TopicPartition> partitions = TopicScan.partitions(reader, topic);
        Map<TopicPartition, Long> upTo = new HashMap<>(reader.endOffsets(partitions));
        if (before.isPresent()) {
            Map<TopicPartition, Long> at = new HashMap<>();
            partitions.forEach(p -> at.put(p, before.get().toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = reader.offsetsForTimes(at);
            found.forEach(
                    (p, offset) -> {
                        if (offset != null) {
                            upTo.put(p, offset.offset());
                        }
                    });
        }
        Map<TopicPartition, Long> from = reader.beginningOffsets(partitions);
        if (!seen.isEmpty()) {
            partitions.forEach(
                    p ->
                            upTo.put(
                                    p,
                                    Math.min(
                                            upTo.get(p),
                                            Math.max(
                                                    from.get(p),
                                                    seen.getOrDefault(p.partition(), 0L)))));
        }
        long deleted = 0;
        Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
        for (TopicPartition p : partitions) {
            deleted += Math.max(0, upTo.get(p) - from.get(p));
            delete.put(p, RecordsToDelete.beforeOffset(upTo.get(p)));
        }
        admin.deleteRecords(delete).all().get();
        done(actor, "purge", deleted, purged(before, seen));
        return deleted;
    }

    /** What a purge took, for the audit log: the bound of the list the operator saw included. */
    private static String purged(Optional<Instant> before, Map<Integer, Long> seen) {
        String what = before.map(t -> "dead-lettered before " + t).orElse("all");
        if (seen.isEmpty()) {
            return what;
        }
        return what
                + " of those listed (up to "
                + new java.util.TreeMap<>(seen)
                        .entrySet().stream()
                                .map(e -> e.getKey() + ":" + e.getValue())
                                .collect(java.util.stream.Collectors.joining(","))
                + ")";
    }

    private void audit(Actor actor, String action, long records, String detail)
            throws ExecutionException, InterruptedException {
        AuditLog.record(bootstrapServers, actor, action, subscriber, records, detail);
    }

    /** Records an action that was done: see {@link NotAudited} for when that fails. */
    private void done(Actor actor, String action, long records, String detail)
            throws NotAudited, InterruptedException {
        AuditLog.recordDone(bootstrapServers, actor, action, subscriber, records, detail);
    }
}
