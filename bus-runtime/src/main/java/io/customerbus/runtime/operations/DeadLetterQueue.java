package io.customerbus.runtime.operations;

import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.subscriber.DeadLetters;
import io.customerbus.runtime.subscriber.Retries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
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

    /** How many dead letters there are for each reason. */
    public static Map<String, Integer> byReason(List<ConsumerRecord<String, byte[]>> letters) {
        Map<String, Integer> counts = new TreeMap<>();
        letters.forEach(
                r ->
                        counts.merge(
                                Optional.ofNullable(
                                                BusHeaders.text(r.headers(), DeadLetters.REASON))
                                        .orElse("-"),
                                1,
                                Integer::sum));
        return counts;
    }

    /**
     * What a re-drive did: how many went to the retry topic, those refused as loops, and how many
     * older copies of an event re-driven in its newest copy were left out.
     */
    public record Redriven(
            int redriven, List<ConsumerRecord<String, byte[]>> refused, int olderCopies) {}

    /**
     * Sends the letters to the subscriber's own retry topic — refused ({@link
     * NoRetryTopicException}) when it has none —, due now, attempt 0, with the original reason;
     * those re-driven too often already are left in the DLQ. Subscribers act once per event id, so
     * a record that arrives twice is not acted on twice.
     */
    public Redriven redrive(Admin admin, List<ConsumerRecord<String, byte[]>> letters, Actor actor)
            throws ExecutionException, InterruptedException {
        requireRetryTopic(admin);
        List<ConsumerRecord<String, byte[]>> newest = newestCopies(letters);
        List<ConsumerRecord<String, byte[]>> refused = new ArrayList<>();
        int redriven = 0;
        try (Retries retries = new Retries(subscriber, bootstrapServers)) {
            for (ConsumerRecord<String, byte[]> letter : newest) {
                int before = redrivesOf(letter);
                if (before >= MAX_REDRIVES) {
                    refused.add(letter);
                    continue;
                }
                retries.schedule(
                        letter,
                        0,
                        Instant.now(),
                        "re-driven: " + BusHeaders.text(letter.headers(), DeadLetters.REASON),
                        Map.of(REDRIVES, Integer.toString(before + 1)));
                redriven++;
            }
        }
        String detail = "to " + BusTopics.retry(subscriber);
        if (!refused.isEmpty()) {
            detail +=
                    "; refused " + refused.size() + " re-driven " + MAX_REDRIVES + " times already";
        }
        int olderCopies = letters.size() - newest.size();
        if (olderCopies > 0) {
            detail += "; left out " + olderCopies + " older copies of events re-driven again";
        }
        audit(actor, "redrive", redriven, detail);
        return new Redriven(redriven, refused, olderCopies);
    }

    /**
     * One letter per event: the one re-driven most often (the latest, of equals). A re-drive leaves
     * its letters in the DLQ, and a record that fails again comes back beside them: re-driving
     * every copy each time doubled the copies with each round, and the loop guard, counting per
     * copy, never stopped the oldest. A letter without an event id stands for itself.
     */
    static List<ConsumerRecord<String, byte[]>> newestCopies(
            List<ConsumerRecord<String, byte[]>> letters) {
        Map<String, ConsumerRecord<String, byte[]>> newest = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> letter : letters) {
            String eventId = BusHeaders.text(letter.headers(), BusHeaders.CE_ID);
            String key = eventId != null ? eventId : letter.partition() + "@" + letter.offset();
            newest.merge(key, letter, (kept, other) -> laterCopy(kept, other) ? other : kept);
        }
        return List.copyOf(newest.values());
    }

    private static boolean laterCopy(
            ConsumerRecord<String, byte[]> kept, ConsumerRecord<String, byte[]> other) {
        if (redrivesOf(other) != redrivesOf(kept)) {
            return redrivesOf(other) > redrivesOf(kept);
        }
        // One event's copies share its key, so its partition: the offset orders them.
        return other.partition() == kept.partition()
                ? other.offset() > kept.offset()
                : other.timestamp() > kept.timestamp();
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
            throws ExecutionException, InterruptedException {
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
        long deleted = 0;
        Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
        for (TopicPartition p : partitions) {
            deleted += Math.max(0, upTo.get(p) - from.get(p));
            delete.put(p, RecordsToDelete.beforeOffset(upTo.get(p)));
        }
        admin.deleteRecords(delete).all().get();
        audit(actor, "purge", deleted, before.map(t -> "dead-lettered before " + t).orElse("all"));
        return deleted;
    }

    private void audit(Actor actor, String action, long records, String detail)
            throws ExecutionException, InterruptedException {
        AuditLog.record(bootstrapServers, actor, action, subscriber, records, detail);
    }
}
