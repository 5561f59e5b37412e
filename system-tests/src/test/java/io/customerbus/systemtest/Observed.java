package io.customerbus.systemtest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What a test reads from outside, as an operator would: group lag, a service's metrics. */
final class Observed {

    private Observed() {}

    /** Records of a topic the group has not committed yet. */
    static long lag(LocalKafka kafka, String group, String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, group);
            long lag = 0;
            for (var end : ends(admin, topic).entrySet()) {
                OffsetAndMetadata offset = committed.get(end.getKey());
                lag += end.getValue() - (offset == null ? 0 : offset.offset());
            }
            return lag;
        }
    }

    /** The sum of the group's committed offsets on a topic: grows as the group applies records. */
    static long committed(LocalKafka kafka, String group, String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            return committed(admin, group).entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
            throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }

    /** The sum of a topic's end offsets: grows with every record written to it. */
    static long endOffsets(LocalKafka kafka, String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            return ends(admin, topic).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static Map<TopicPartition, Long> ends(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions()
                .forEach(
                        p ->
                                latest.put(
                                        new TopicPartition(topic, p.partition()),
                                        OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((p, info) -> ends.put(p, info.offset()));
        return ends;
    }

    /**
     * A counter's (or gauge's) value from /q/metrics (Prometheus text), summed over the series that
     * carry the given label text (e.g. {@code reason="replay"}); 0 when there is none yet.
     */
    static long counter(ServiceProcess service, String name, String label) throws Exception {
        Matcher series =
                Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.E+-]+)$")
                        .matcher(service.get("/q/metrics").body());
        double total = 0;
        while (series.find()) {
            String labels = series.group(1) == null ? "" : series.group(1);
            if (labels.contains(label)) {
                total += Double.parseDouble(series.group(2));
            }
        }
        return (long) total;
    }
}
