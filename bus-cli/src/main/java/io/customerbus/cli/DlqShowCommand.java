package io.customerbus.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.customerbus.events.kafka.BusHeaders;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Print dead letters whole: every header (reason, origin, attempts) and body.")
public class DlqShowCommand implements Callable<Integer> {

    @Mixin DlqOptions dlq;

    @Parameters(
            paramLabel = "ID",
            description = "An event id, or a position in the DLQ as partition@offset.")
    String id;

    @Override
    public Integer call() throws InterruptedException, JsonProcessingException {
        try {
            List<ConsumerRecord<String, byte[]>> found = dlq.letters(this::isTheOne);
            if (found.isEmpty()) {
                System.err.println("no dead letter " + id + " in " + dlq.topic());
                return ExitCodes.NOT_FOUND;
            }
            for (ConsumerRecord<String, byte[]> record : found) {
                System.out.println(RecordPrinter.pretty(record));
            }
            return ExitCodes.OK;
        } catch (ExecutionException e) {
            return DlqErrors.report(dlq, e.getCause());
        } catch (KafkaException e) {
            return DlqErrors.report(dlq, e);
        }
    }

    private boolean isTheOne(ConsumerRecord<String, byte[]> record) {
        return id.equals(record.partition() + "@" + record.offset())
                || id.equals(BusHeaders.text(record.headers(), BusHeaders.CE_ID));
    }
}
