package io.customerbus.cli;

import io.customerbus.events.consumer.DeadLetters;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which subscriber's dead letters, and which of them: shared by the dlq commands. */
public class DlqOptions {

    @Mixin BrokerOptions broker;

    @Option(
            names = {"-s", "--subscriber"},
            required = true,
            description = "The subscriber's short name (its DLQ is customer-events.<name>.dlq).")
    String subscriber;

    @Option(names = "--reason", description = "Only records whose reason contains this text.")
    String reason;

    @Option(names = "--type", description = "Only records of this event type (ce_type).")
    String type;

    @Option(
            names = "--since",
            converter = IsoInstantConverter.class,
            description = "Only records dead-lettered at or after this time (ISO-8601 with zone).")
    Instant since;

    String topic() {
        return BusTopics.deadLetter(subscriber);
    }

    /** Fails with NOT_FOUND's message when the subscriber has no DLQ topic. */
    void requireTopic(Admin admin) throws ExecutionException, InterruptedException {
        admin.describeTopics(List.of(topic())).allTopicNames().get();
    }

    /** Every dead letter now in the topic that matches the filters, oldest first per partition. */
    List<ConsumerRecord<String, byte[]>> matching(KafkaConsumer<String, byte[]> reader) {
        List<TopicPartition> partitions =
                reader.partitionsFor(topic()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        while (partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(500))) {
                if (matches(record)) {
                    found.add(record);
                }
            }
        }
        return found;
    }

    private boolean matches(ConsumerRecord<String, byte[]> record) {
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
