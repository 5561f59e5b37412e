package io.customerbus.runtime.operations;

import io.customerbus.events.kafka.BusTopics;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A consumer group's committed positions on the bus topic, by partition number; its members. */
public final class ConsumerGroups {

    private ConsumerGroups() {}

    public static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
        admin
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .entrySet()
                .stream()
                .filter(
                        e ->
                                e.getKey().topic().equals(BusTopics.CUSTOMER_EVENTS)
                                        && e.getValue() != null)
                .forEach(e -> committed.put(e.getKey(), e.getValue()));
        return committed;
    }

    /**
     * Why the group may not be touched now: its active members, or empty when it has none. A
     * running subscriber would overwrite rewound offsets, or refill a wiped store.
     */
    public static Optional<String> activeMembers(Admin admin, String group)
            throws ExecutionException, InterruptedException {
        Collection<MemberDescription> members =
                admin.describeConsumerGroups(List.of(group)).all().get().get(group).members();
        if (members.isEmpty()) {
            return Optional.empty();
        }
        String who =
                members.stream()
                        .map(m -> m.clientId() + "@" + m.host().replaceFirst("^/", ""))
                        .sorted()
                        .collect(Collectors.joining(", "));
        return Optional.of(
                "group '"
                        + group
                        + "' has "
                        + members.size()
                        + " active member(s) ("
                        + who
                        + "); stop its deployments first");
    }
}
