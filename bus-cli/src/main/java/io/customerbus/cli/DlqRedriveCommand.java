package io.customerbus.cli;

import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.operations.DeadLetterQueue;
import io.customerbus.runtime.operations.NoRetryTopicException;
import io.customerbus.runtime.operations.NotAudited;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sends dead letters back to their subscriber — through its own retry topic, never onto the bus,
 * where every other subscriber would see them a second time. Subscribers act once per event id, so
 * re-driving a record twice does not act twice; one re-driven too often is refused as a loop (exit
 * 5). The work is {@link DeadLetterQueue}'s, which the console uses too.
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
            DeadLetterQueue.Redriven done;
            if (dryRun) {
                done = dlq.plan(filter::matches);
                System.out.printf(
                        "would re-drive %d record(s) to %s%n",
                        done.redriven(), BusTopics.retry(dlq.subscriber));
            } else {
                done = dlq.redrive(filter::matches);
                System.out.printf(
                        "re-drove %d record(s) to %s; the letters stay in the DLQ ('dlq purge"
                                + " --before <time>' deletes those dead-lettered before a time)%n",
                        done.redriven(), BusTopics.retry(dlq.subscriber));
            }
            if (done.olderCopies() > 0) {
                System.out.printf(
                        "left out %d older cop%s of events re-driven in their newest copy%n",
                        done.olderCopies(), done.olderCopies() == 1 ? "y" : "ies");
            }
            if (!done.refused().isEmpty()) {
                System.out.printf(
                        "refused %d record(s) re-driven %d times already (a loop: look at them"
                                + " with 'dlq show'): %s%n",
                        done.refused().size(),
                        DeadLetterQueue.MAX_REDRIVES,
                        done.refused().stream()
                                .map(DeadLetterQueue.Position::toString)
                                .collect(java.util.stream.Collectors.joining(" ")));
                return ExitCodes.CONFLICT;
            }
            return ExitCodes.OK;
        } catch (NoRetryTopicException e) {
            System.err.println(e.getMessage());
            return ExitCodes.CONFLICT;
        } catch (NotAudited e) {
            return BrokerFailures.report(e);
        } catch (ExecutionException e) {
            return DlqErrors.report(dlq, e.getCause());
        } catch (KafkaException e) {
            return DlqErrors.report(dlq, e);
        }
    }
}
