package io.customerbus.cli;

import io.customerbus.runtime.operations.DeadLetterQueue;
import io.customerbus.runtime.operations.NotAudited;
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

    DeadLetterQueue queue() {
        return new DeadLetterQueue(subscriber, broker.bootstrapServers());
    }

    String topic() {
        return queue().topic();
    }

    /**
     * What re-driving the matching letters would do; NoRetryTopicException without a retry topic.
     */
    DeadLetterQueue.Redriven plan(Predicate<ConsumerRecord<String, byte[]>> which)
            throws ExecutionException, InterruptedException {
        try (Admin admin = broker.admin();
                KafkaConsumer<String, byte[]> reader = broker.reader(500)) {
            return queue().plan(admin, reader, which);
        }
    }

    /** Re-drives the matching letters as the operator; NoRetryTopicException without one. */
    DeadLetterQueue.Redriven redrive(Predicate<ConsumerRecord<String, byte[]>> which)
            throws ExecutionException, InterruptedException, NotAudited {
        try (Admin admin = broker.admin();
                KafkaConsumer<String, byte[]> reader = broker.reader(500)) {
            return queue().redrive(admin, reader, which, BrokerOptions.operator());
        }
    }

    /**
     * The dead letters that match, read to the current end of the DLQ; fails
     * (UnknownTopicOrPartitionException) when the subscriber has no DLQ topic.
     */
    List<ConsumerRecord<String, byte[]>> letters(Predicate<ConsumerRecord<String, byte[]>> which)
            throws ExecutionException, InterruptedException {
        try (Admin admin = broker.admin();
                KafkaConsumer<String, byte[]> reader = broker.reader(500)) {
            return queue().letters(admin, reader, which);
        }
    }
}
