package io.customerbus.cli;

import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.runtime.operations.DeadLetterQueue;
import io.customerbus.runtime.subscriber.DeadLetters;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Count the dead letters by reason, then one line per record.")
public class DlqListCommand implements Callable<Integer> {

    @Mixin DlqOptions dlq;
    @Mixin DlqFilter filter;

    @Override
    public Integer call() throws InterruptedException {
        // Counted first, then listed: the letters of a long DLQ are never held all at once.
        DeadLetterQueue queue = dlq.queue();
        try (Admin admin = dlq.broker.admin();
                KafkaConsumer<String, byte[]> reader = dlq.broker.reader(500)) {
            DeadLetterQueue.Listing listing = queue.list(admin, reader, filter::matches, 0);
            System.out.printf(
                    "%s: %d record(s), oldest dead-lettered %s%n",
                    queue.topic(),
                    listing.count(),
                    listing.oldest() == null ? "-" : listing.oldest());
            listing.byReason().forEach((why, count) -> System.out.printf("%7d  %s%n", count, why));
            if (listing.count() > 0) {
                System.out.printf(
                        "%n%-14s %-24s %-16s %-36s %s%n",
                        "POSITION", "DEAD-LETTERED", "TYPE", "EVENT-ID", "REASON");
            }
            queue.each(
                    reader,
                    listing.upTo(),
                    filter::matches,
                    r ->
                            System.out.printf(
                                    "%-14s %-24s %-16s %-36s %s%n",
                                    r.partition() + "@" + r.offset(),
                                    text(r, DeadLetters.FAILED_AT),
                                    text(r, BusHeaders.CE_TYPE),
                                    text(r, BusHeaders.CE_ID),
                                    text(r, DeadLetters.REASON)));
            return ExitCodes.OK;
        } catch (ExecutionException e) {
            return DlqErrors.report(dlq, e.getCause());
        } catch (KafkaException e) {
            return DlqErrors.report(dlq, e);
        }
    }

    private static String text(ConsumerRecord<String, byte[]> record, String header) {
        String value = BusHeaders.text(record.headers(), header);
        return value == null ? "-" : value;
    }
}
