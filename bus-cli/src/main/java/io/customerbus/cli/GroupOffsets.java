package io.customerbus.cli;

import io.customerbus.events.kafka.BusTopics;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A consumer group's committed positions on the bus topic, by partition number. */
final class GroupOffsets {

    private GroupOffsets() {}

    static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
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
}
