package io.customerbus.cli;

import io.customerbus.runtime.catalog.BusOverview;
import io.customerbus.runtime.operations.ConsumerGroups;
import io.customerbus.runtime.subscriber.ReplayBoundary;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every consumer group of the bus: its members and, per partition, the committed offset, the lag in
 * records and in seconds (the age of the oldest event it has not processed yet) and the replay
 * boundary, if a replay is in progress.
 */
@Command(
        name = "groups",
        mixinStandardHelpOptions = true,
        description = "Consumer groups of the bus with their lag.")
public class GroupsCommand implements Callable<Integer> {

    @Mixin BrokerOptions broker;

    @Option(
            names = {"-g", "--group"},
            description = "Only this group (exit 4 if it does not exist).")
    String group;

    @Override
    public Integer call() throws InterruptedException {
        try (Admin admin = broker.admin();
                KafkaConsumer<String, byte[]> reader = broker.reader(1)) {
            Collection<String> groups = group != null ? List.of(group) : allGroups(admin);
            List<String> rows = new java.util.ArrayList<>();
            for (String name : groups) {
                rows.addAll(rows(admin, reader, name));
            }
            System.out.printf(
                    "%-28s %-12s %7s %9s %10s %10s %8s %11s  %s%n",
                    "GROUP",
                    "STATE",
                    "MEMBERS",
                    "PARTITION",
                    "COMMITTED",
                    "END",
                    "LAG",
                    "LAG-SECONDS",
                    "REPLAY-UNTIL");
            rows.forEach(System.out::println);
            return ExitCodes.OK;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                System.err.println("no consumer group '" + group + "'");
                return ExitCodes.NOT_FOUND;
            }
            return BrokerFailures.report("read consumer groups", e.getCause());
        } catch (KafkaException e) {
            // The reader of the records' ages (a topic the user may not read, a timeout): as the
            // other commands say it, not a stack trace.
            return BrokerFailures.report("read consumer groups", e);
        }
    }

    private List<String> rows(Admin admin, KafkaConsumer<String, byte[]> reader, String name)
            throws ExecutionException, InterruptedException {
        ConsumerGroupDescription description =
                admin.describeConsumerGroups(List.of(name)).all().get().get(name);
        Map<TopicPartition, OffsetAndMetadata> committed = ConsumerGroups.committed(admin, name);
        if (committed.isEmpty() && group != null && description.members().isEmpty()) {
            throw new ExecutionException(new GroupIdNotFoundException(name));
        }
        Map<TopicPartition, Long> ends =
                admin
                        .listOffsets(
                                committed.keySet().stream()
                                        .collect(
                                                Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
                                // Where subscribers (read_committed) can read to: a publisher's
                                // open transaction is not lag.
                                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .all()
                        .get()
                        .entrySet()
                        .stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        List<String> rows = new java.util.ArrayList<>();
        committed.forEach(
                (partition, offset) -> {
                    long end = ends.getOrDefault(partition, offset.offset());
                    long lag = Math.max(0, end - offset.offset());
                    rows.add(
                            String.format(
                                    "%-28s %-12s %7d %9d %10d %10d %8d %11s  %s",
                                    name,
                                    description.groupState(),
                                    description.members().size(),
                                    partition.partition(),
                                    offset.offset(),
                                    end,
                                    lag,
                                    lag == 0 ? "0" : age(reader, partition, offset.offset()),
                                    ReplayBoundary.parse(offset.metadata())
                                            .map(b -> Long.toString(b.until()))
                                            .orElse("-")));
                });
        return rows;
    }

    private static String age(
            KafkaConsumer<String, byte[]> reader, TopicPartition partition, long offset) {
        long seconds = BusOverview.ageOfOldest(reader, partition, offset);
        return seconds < 0 ? "?" : Long.toString(seconds);
    }

    private static Collection<String> allGroups(Admin admin)
            throws ExecutionException, InterruptedException {
        return admin.listConsumerGroups().all().get().stream()
                .map(ConsumerGroupListing::groupId)
                .sorted()
                .toList();
    }
}
