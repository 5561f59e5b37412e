package io.customerbus.cli;

import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.runtime.operations.DeadLetterQueue;
import io.customerbus.runtime.subscriber.DeadLetters;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
        try {
            List<ConsumerRecord<String, byte[]>> letters = dlq.letters(filter::matches);
            String oldest =
                    letters.stream()
                            .map(r -> BusHeaders.text(r.headers(), DeadLetters.FAILED_AT))
                            .filter(java.util.Objects::nonNull)
                            .min(String::compareTo)
                            .orElse("-");
            System.out.printf(
                    "%s: %d record(s), oldest dead-lettered %s%n",
                    dlq.topic(), letters.size(), oldest);
            DeadLetterQueue.byReason(letters)
                    .forEach((why, count) -> System.out.printf("%7d  %s%n", count, why));
            if (!letters.isEmpty()) {
                System.out.printf(
                        "%n%-14s %-24s %-16s %-36s %s%n",
                        "POSITION", "DEAD-LETTERED", "TYPE", "EVENT-ID", "REASON");
            }
            for (ConsumerRecord<String, byte[]> r : letters) {
                System.out.printf(
                        "%-14s %-24s %-16s %-36s %s%n",
                        r.partition() + "@" + r.offset(),
                        text(r, DeadLetters.FAILED_AT),
                        text(r, BusHeaders.CE_TYPE),
                        text(r, BusHeaders.CE_ID),
                        text(r, DeadLetters.REASON));
            }
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
