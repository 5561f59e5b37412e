package io.customerbus.cli;

import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.operations.TopicScan;
import io.customerbus.runtime.subscriber.ReplayBoundary;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Rewinds a stopped consumer group so its subscriber processes history again. Each rewound
 * partition's committed offset carries the pre-replay position ("replay-until") in its metadata:
 * the subscriber marks every record before it as a replay, which is how an email service knows not
 * to send twice. A replay never moves a group forward, so it cannot skip events.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Rewind a consumer group (its deployments stopped) to reprocess history.",
            "Prints the plan per partition; --dry-run changes nothing."
        })
public class ReplayCommand implements Callable<Integer> {

    @Mixin BrokerOptions broker;

    @Spec CommandSpec spec;

    @Option(
            names = {"-g", "--group"},
            required = true,
            description = "The consumer group to rewind.")
    String group;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--dry-run", description = "Print the plan without changing anything.")
    boolean dryRun;

    static class Target {
        @Option(names = "--to-earliest", description = "From the beginning of the bus.")
        boolean earliest;

        @Option(
                names = "--to-datetime",
                converter = IsoInstantConverter.class,
                paramLabel = "T",
                description = "From the first record at or after T (ISO-8601 with zone).")
        Instant datetime;

        @Option(
                names = "--by-duration",
                paramLabel = "P",
                description = "From the first record of the last P (ISO-8601, e.g. PT2H, P1D).")
        Duration duration;

        @Option(
                names = "--from-event",
                paramLabel = "ID",
                description =
                        "From the event with this id (its partition from its offset, the others"
                                + " from its time).")
        UUID eventId;
    }

    /** One partition's move. */
    private record Move(TopicPartition partition, Long current, long target, long until) {
        long reprocessed(long end) {
            return (current == null ? end : current) - target;
        }

        boolean changes() {
            return current == null || target < current;
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (target.duration != null && (target.duration.isNegative() || target.duration.isZero())) {
            throw new ParameterException(spec.commandLine(), "--by-duration must be positive");
        }
        try (Admin admin = broker.admin();
                KafkaConsumer<String, byte[]> reader = broker.reader(500)) {
            Optional<String> active = GroupOffsets.activeMembers(admin, group);
            Map<TopicPartition, OffsetAndMetadata> committed = GroupOffsets.committed(admin, group);
            if (committed.isEmpty() && active.isEmpty()) {
                System.err.println(
                        "no consumer group '"
                                + group
                                + "' has consumed "
                                + BusTopics.CUSTOMER_EVENTS
                                + " (a new group starts from its own auto.offset.reset)");
                return ExitCodes.NOT_FOUND;
            }
            if (active.isPresent()) {
                System.err.println(
                        active.get()
                                + ": a running subscriber would overwrite the rewound offsets");
                return ExitCodes.CONFLICT;
            }
            List<TopicPartition> partitions =
                    TopicScan.partitions(reader, BusTopics.CUSTOMER_EVENTS);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
            Optional<Map<TopicPartition, Long>> targets = targets(reader, partitions, ends);
            if (targets.isEmpty()) {
                System.err.println(
                        "no event " + target.eventId + " on " + BusTopics.CUSTOMER_EVENTS);
                return ExitCodes.NOT_FOUND;
            }
            List<Move> moves = plan(partitions, committed, ends, targets.get());
            print(moves, ends);
            if (dryRun) {
                System.out.println("dry run: nothing changed");
                return ExitCodes.OK;
            }
            Map<TopicPartition, OffsetAndMetadata> rewind =
                    moves.stream()
                            .filter(Move::changes)
                            .collect(
                                    Collectors.toMap(
                                            Move::partition,
                                            m ->
                                                    new OffsetAndMetadata(
                                                            m.target(),
                                                            new ReplayBoundary(m.until())
                                                                    .metadata())));
            if (rewind.isEmpty()) {
                System.out.println("nothing to replay: the group is already there");
                return ExitCodes.OK;
            }
            admin.alterConsumerGroupOffsets(group, rewind).all().get();
            System.out.printf(
                    "group %s rewound on %d partition(s); start its deployments to replay%n",
                    group, rewind.size());
            return ExitCodes.OK;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof GroupNotEmptyException
                    || cause instanceof UnknownMemberIdException) {
                System.err.println("group '" + group + "' became active; stop it and retry");
                return ExitCodes.CONFLICT;
            }
            if (cause instanceof GroupIdNotFoundException) {
                System.err.println("no consumer group '" + group + "'");
                return ExitCodes.NOT_FOUND;
            }
            System.err.println("could not reach the broker: " + cause.getMessage());
            return ExitCodes.BROKER_UNREACHABLE;
        } catch (KafkaException e) {
            System.err.println("could not reach the broker: " + e.getMessage());
            return ExitCodes.BROKER_UNREACHABLE;
        }
    }

    /** Where each partition should restart; empty when --from-event names no record. */
    private Optional<Map<TopicPartition, Long>> targets(
            KafkaConsumer<String, byte[]> reader,
            List<TopicPartition> partitions,
            Map<TopicPartition, Long> ends) {
        if (target.earliest) {
            return Optional.of(reader.beginningOffsets(partitions));
        }
        if (target.eventId != null) {
            String id = target.eventId.toString();
            return TopicScan.first(
                            reader,
                            BusTopics.CUSTOMER_EVENTS,
                            r -> id.equals(BusHeaders.text(r.headers(), BusHeaders.CE_ID)))
                    .map(
                            event -> {
                                Map<TopicPartition, Long> byTime =
                                        atTime(reader, partitions, ends, event.timestamp());
                                byTime.put(
                                        new TopicPartition(event.topic(), event.partition()),
                                        event.offset());
                                return byTime;
                            });
        }
        Instant from =
                target.datetime != null ? target.datetime : Instant.now().minus(target.duration);
        return Optional.of(atTime(reader, partitions, ends, from.toEpochMilli()));
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

    private static List<Move> plan(
            List<TopicPartition> partitions,
            Map<TopicPartition, OffsetAndMetadata> committed,
            Map<TopicPartition, Long> ends,
            Map<TopicPartition, Long> targets) {
        return partitions.stream()
                .map(
                        partition -> {
                            OffsetAndMetadata offset = committed.get(partition);
                            Long current = offset == null ? null : offset.offset();
                            long position = current == null ? ends.get(partition) : current;
                            // An unfinished earlier replay keeps its boundary: those records are
                            // still replays.
                            long until =
                                    Math.max(
                                            position,
                                            offset == null
                                                    ? 0
                                                    : ReplayBoundary.parse(offset.metadata())
                                                            .map(ReplayBoundary::until)
                                                            .orElse(0L));
                            return new Move(
                                    partition,
                                    current,
                                    Math.min(targets.get(partition), position),
                                    until);
                        })
                .toList();
    }

    private static void print(List<Move> moves, Map<TopicPartition, Long> ends) {
        System.out.printf(
                "%9s %10s %10s %10s %12s  %s%n",
                "PARTITION", "CURRENT", "NEW", "END", "REPROCESSED", "REPLAY-UNTIL");
        long total = 0;
        for (Move move : moves) {
            long end = ends.get(move.partition());
            long reprocessed = move.changes() ? move.reprocessed(end) : 0;
            total += reprocessed;
            System.out.printf(
                    "%9d %10s %10d %10d %12d  %s%n",
                    move.partition().partition(),
                    move.current() == null ? "-" : move.current().toString(),
                    move.changes() ? move.target() : move.current(),
                    end,
                    reprocessed,
                    move.changes() ? Long.toString(move.until()) : "-");
        }
        System.out.printf("%d record(s) will be processed again%n", total);
    }
}
