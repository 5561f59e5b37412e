package io.customerbus.runtime.operations;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.subscriber.ReplayBoundary;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * Rewinding a stopped consumer group so its subscriber processes history again: first the plan
 * (what each partition would reprocess), then the move. One implementation for every tool (the bus
 * CLI, the console), each move recorded in the {@link AuditLog}; the caller brings the clients.
 *
 * <p>Each rewound partition's committed offset carries the pre-replay position ("replay-until") in
 * its metadata: the subscriber marks every record before it as a replay, which is how an email
 * service knows not to send twice. A replay never moves a group forward, so it cannot skip events;
 * a running group is refused, because its members would overwrite the rewound offsets.
 */
public final class Replay {

    /** Where the replay starts. */
    public sealed interface From permits Earliest, At, Event {
        /** What the plan and the audit log say. */
        String describe();
    }

    /** From the beginning of the bus. */
    public record Earliest() implements From {
        public String describe() {
            return "from the beginning";
        }
    }

    /** From the first record at or after a time (1970 to 9999, RecordTimes), on every partition. */
    public record At(Instant time) implements From {

        public At {
            RecordTimes.require(time, "a replay starts at");
        }

        public String describe() {
            return "from " + time;
        }
    }

    /** From one event: its partition from its offset, the others from its time. */
    public record Event(UUID id) implements From {
        public String describe() {
            return "from event " + id;
        }
    }

    /**
     * One partition's move: the committed offset now (null when the group never committed one), the
     * offset it restarts from, the partition's end, and the replay boundary it records.
     */
    public record Move(int partition, Long current, long target, long end, long until) {

        @JsonProperty
        public boolean changes() {
            return current == null || target < current;
        }

        /** How many records the subscriber processes again. */
        @JsonProperty
        public long reprocessed() {
            return changes() ? (current == null ? end : current) - target : 0;
        }
    }

    /** What a replay of a group does, partition by partition. */
    public record Plan(String group, String from, List<Move> moves) {

        @JsonProperty
        public long reprocessed() {
            return moves.stream().mapToLong(Move::reprocessed).sum();
        }

        @JsonProperty
        public int partitionsRewound() {
            return (int) moves.stream().filter(Move::changes).count();
        }
    }

    /** Why a replay cannot be planned or made; the message says it in words. */
    public static final class Refused extends Exception {

        public enum Why {
            NO_GROUP,
            GROUP_ACTIVE,
            NO_EVENT
        }

        private final Why why;

        Refused(Why why, String message) {
            super(message);
            this.why = why;
        }

        public Why why() {
            return why;
        }
    }

    private Replay() {}

    /** What a replay would do now; changes nothing. */
    public static Plan plan(
            Admin admin, KafkaConsumer<String, byte[]> reader, String group, From from)
            throws Refused, ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed;
        Optional<String> active;
        try {
            active = ConsumerGroups.activeMembers(admin, group);
            committed = ConsumerGroups.committed(admin, group);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                throw noGroup(group);
            }
            throw e;
        }
        if (committed.isEmpty() && active.isEmpty()) {
            throw noGroup(group);
        }
        if (active.isPresent()) {
            throw new Refused(
                    Refused.Why.GROUP_ACTIVE,
                    active.get() + ": a running subscriber would overwrite the rewound offsets");
        }
        List<TopicPartition> partitions = TopicScan.partitions(reader, BusTopics.CUSTOMER_EVENTS);
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
        Map<TopicPartition, Long> targets =
                targets(reader, partitions, ends, from)
                        .orElseThrow(
                                () ->
                                        new Refused(
                                                Refused.Why.NO_EVENT,
                                                "no event "
                                                        + ((Event) from).id()
                                                        + " on "
                                                        + BusTopics.CUSTOMER_EVENTS));
        Map<TopicPartition, Long> beginnings =
                committed.keySet().containsAll(partitions)
                        ? Map.of()
                        : reader.beginningOffsets(partitions);
        List<Move> moves =
                partitions.stream()
                        .map(
                                p ->
                                        move(
                                                p,
                                                committed.get(p),
                                                ends.get(p),
                                                targets.get(p),
                                                beginnings.get(p)))
                        .toList();
        return new Plan(group, from.describe(), moves);
    }

    /**
     * Rewinds the group as planned and records it in the audit log; refused if a member joined
     * since the plan. A plan that changes nothing changes nothing and is not recorded.
     */
    public static void apply(Admin admin, Plan plan, String bootstrapServers, Actor actor)
            throws Refused, ExecutionException, InterruptedException, NotAudited {
        Map<TopicPartition, OffsetAndMetadata> rewind =
                plan.moves().stream()
                        .filter(Move::changes)
                        .collect(
                                Collectors.toMap(
                                        m ->
                                                new TopicPartition(
                                                        BusTopics.CUSTOMER_EVENTS, m.partition()),
                                        m ->
                                                new OffsetAndMetadata(
                                                        m.target(),
                                                        new ReplayBoundary(m.target(), m.until())
                                                                .metadata())));
        if (rewind.isEmpty()) {
            return;
        }
        try {
            admin.alterConsumerGroupOffsets(plan.group(), rewind).all().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupNotEmptyException
                    || e.getCause() instanceof UnknownMemberIdException) {
                throw new Refused(
                        Refused.Why.GROUP_ACTIVE,
                        "group '" + plan.group() + "' became active; stop it and retry");
            }
            throw e;
        }
        AuditLog.recordDone(
                bootstrapServers,
                actor,
                "replay",
                plan.group(),
                plan.reprocessed(),
                plan.from() + "; " + rewind.size() + " partition(s) rewound");
    }

    private static Refused noGroup(String group) {
        return new Refused(
                Refused.Why.NO_GROUP,
                "no consumer group '"
                        + group
                        + "' has consumed "
                        + BusTopics.CUSTOMER_EVENTS
                        + " (a new group starts from its own auto.offset.reset)");
    }

    /**
     * A partition the group never committed (added to the topic later, say) has never been read by
     * it: it restarts at its beginning, whatever the replay's target — at the target it would skip
     * what lies before, unread (before 2026-12-06 it did). Its records count as replays up to its
     * end, as on the others, so a subscriber that acts on news only (email) sends nothing.
     */
    private static Move move(
            TopicPartition partition,
            OffsetAndMetadata offset,
            long end,
            long target,
            Long beginning) {
        Long current = offset == null ? null : offset.offset();
        if (current == null) {
            return new Move(partition.partition(), null, beginning, end, end);
        }
        // An unfinished earlier replay keeps its boundary: those records are still replays.
        long until =
                Math.max(
                        current,
                        ReplayBoundary.parse(offset.metadata())
                                .map(ReplayBoundary::until)
                                .orElse(0L));
        return new Move(partition.partition(), current, Math.min(target, current), end, until);
    }

    /** Where each partition should restart; empty when the event is not on the bus. */
    private static Optional<Map<TopicPartition, Long>> targets(
            KafkaConsumer<String, byte[]> reader,
            List<TopicPartition> partitions,
            Map<TopicPartition, Long> ends,
            From from) {
        if (from instanceof Earliest) {
            return Optional.of(reader.beginningOffsets(partitions));
        }
        if (from instanceof At at) {
            return Optional.of(atTime(reader, partitions, ends, at.time().toEpochMilli()));
        }
        String id = ((Event) from).id().toString();
        return TopicScan.first(
                        reader,
                        BusTopics.CUSTOMER_EVENTS,
                        r -> id.equals(BusHeaders.text(r.headers(), BusHeaders.CE_ID)))
                .map(
                        record -> {
                            Map<TopicPartition, Long> byTime =
                                    atTime(reader, partitions, ends, record.timestamp());
                            byTime.put(
                                    new TopicPartition(record.topic(), record.partition()),
                                    record.offset());
                            return byTime;
                        });
    }

    /** The first offset at or after a time; the end of the partition if there is none. */
    private static Map<TopicPartition, Long> atTime(
            KafkaConsumer<String, byte[]> reader,
            List<TopicPartition> partitions,
            Map<TopicPartition, Long> ends,
            long epochMillis) {
        Map<TopicPartition, OffsetAndTimestamp> found =
                reader.offsetsForTimes(
                        partitions.stream()
                                .collect(Collectors.toMap(Function.identity(), p -> epochMillis)));
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = found.get(partition);
            offsets.put(partition, at != null ? at.offset() : ends.get(partition));
        }
        return offsets;
    }
}
