package io.customerbus.cli;

import io.customerbus.events.kafka.BusTopics;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
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

    /** Fails (UnknownTopicOrPartitionException) when the subscriber has no DLQ topic. */
    void requireTopic(Admin admin) throws ExecutionException, InterruptedException {
        admin.describeTopics(List.of(topic())).allTopicNames().get();
    }
}
