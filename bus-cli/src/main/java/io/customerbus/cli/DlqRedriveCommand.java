package io.customerbus.cli;

import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.runtime.subscriber.DeadLetters;
import io.customerbus.runtime.subscriber.Retries;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sends dead letters back to their subscriber — through its own retry topic, never onto the bus,
 * where every other subscriber would see them a second time. Subscribers act once per event id, so
 * re-driving a record twice does not act twice.
 */
@Command(
        name = "redrive",
        mixinStandardHelpOptions = true,
        description = {
            "Send matching dead letters to the subscriber's own retry topic",
            "(customer-events.<name>.retry), after the cause is fixed."
        })
public class DlqRedriveCommand implements Callable<Integer> {

    @Mixin DlqOptions dlq;
    @Mixin DlqFilter filter;

    @Option(names = "--dry-run", description = "Only count what would be re-driven.")
    boolean dryRun;

    @Override
    public Integer call() throws InterruptedException {
        try {
            List<ConsumerRecord<String, byte[]>> letters = dlq.letters(filter::matches);
            if (dryRun) {
                System.out.printf("would re-drive %d record(s)%n", letters.size());
                return ExitCodes.OK;
            }
            try (Retries retries = new Retries(dlq.subscriber, dlq.broker.bootstrapServers())) {
                for (ConsumerRecord<String, byte[]> letter : letters) {
                    // A fresh start: attempt 0, due now; the original reason travels along.
                    retries.schedule(
                            letter,
                            0,
                            Instant.now(),
                            "re-driven: " + BusHeaders.text(letter.headers(), DeadLetters.REASON));
                }
                System.out.printf(
                        "re-drove %d record(s) to %s; 'dlq purge' clears them from the DLQ%n",
                        letters.size(), retries.topic());
            }
            return ExitCodes.OK;
        } catch (ExecutionException e) {
            return DlqErrors.report(dlq, e.getCause());
        } catch (KafkaException e) {
            return DlqErrors.report(dlq, e);
        }
    }
}
