package io.customerbus.cli;

import io.customerbus.runtime.operations.NotAudited;
import io.customerbus.runtime.operations.TimeOutOfRangeException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Deletes dead letters from the head of the DLQ (Kafka deletes up to an offset, in order). */
@Command(
        name = "purge",
        mixinStandardHelpOptions = true,
        description = "Delete all dead letters, or those dead-lettered before a time.")
public class DlqPurgeCommand implements Callable<Integer> {

    @Mixin DlqOptions dlq;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static class Which {
        @Option(names = "--all", description = "Every record in the DLQ.")
        boolean all;

        @Option(
                names = "--before",
                converter = IsoInstantConverter.class,
                description = "Records dead-lettered before this time (ISO-8601 with zone).")
        Instant before;
    }

    @Override
    public Integer call() throws InterruptedException {
        try (Admin admin = dlq.broker.admin();
                KafkaConsumer<String, byte[]> reader = dlq.broker.reader(1)) {
            long deleted =
                    dlq.queue()
                            .purge(
                                    admin,
                                    reader,
                                    Optional.ofNullable(which.before),
                                    BrokerOptions.operator());
            System.out.printf("purged %d record(s) from %s%n", deleted, dlq.topic());
            return ExitCodes.OK;
        } catch (TimeOutOfRangeException outOfRange) {
            System.err.println(outOfRange.getMessage());
            return ExitCodes.USAGE;
        } catch (NotAudited e) {
            return BrokerFailures.report(e);
        } catch (ExecutionException e) {
            return DlqErrors.report(dlq, e.getCause());
        } catch (KafkaException e) {
            return DlqErrors.report(dlq, e);
        }
    }
}
