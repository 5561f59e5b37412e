package io.customerbus.cli;

import io.customerbus.events.kafka.BusTopics;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Whose dead letters: shared by the dlq commands. */
public class DlqOptions {

    @Mixin BrokerOptions broker;

    @Option(
            names = {"-s", "--subscriber"},
            required = true,
            description = "The subscriber's short name (its DLQ is customer-events.<name>.dlq).")
    String subscriber;

    String topic() {
        return BusTopics.deadLetter(subscriber);
    }

    /**
     * The dead letters that match, read to the current end of the DLQ; fails
     * (UnknownTopicOrPartitionException) when the subscriber has no DLQ topic.
     */
    List<ConsumerRecord<String, byte[]>> letters(Predicate<ConsumerRecord<String, byte[]>> which)
            throws ExecutionException, InterruptedException {
        try (Admin admin = broker.admin();
                KafkaConsumer<String, byte[]> reader = broker.reader(500)) {
            requireTopic(admin);
            return TopicScan.all(reader, topic(), which);
        }
    }

    /** Fails (UnknownTopicOrPartitionException) when the subscriber has no DLQ topic. */
    void requireTopic(Admin admin) throws ExecutionException, InterruptedException {
        admin.describeTopics(List.of(topic())).allTopicNames().get();
    }
}
