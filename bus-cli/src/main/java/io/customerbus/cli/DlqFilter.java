package io.customerbus.cli;

import io.customerbus.runtime.operations.DeadLetterQueue;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Option;

/** Which dead letters: by reason, type and time; none given keeps all. */
public class DlqFilter {

    @Option(names = "--reason", description = "Only records whose reason contains this text.")
    String reason;

    @Option(names = "--type", description = "Only records of this event type (ce_type).")
    String type;

    @Option(
            names = "--since",
            converter = IsoInstantConverter.class,
            description = "Only records dead-lettered at or after this time (ISO-8601 with zone).")
    Instant since;

    boolean matches(ConsumerRecord<String, byte[]> record) {
        return new DeadLetterQueue.Filter(reason, type, since).test(record);
    }
}
