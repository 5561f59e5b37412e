package io.customerbus.cli;

import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.runtime.subscriber.DeadLetters;
import java.time.Instant;
import java.util.Locale;
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
        String why = BusHeaders.text(record.headers(), DeadLetters.REASON);
        String failedAt = BusHeaders.text(record.headers(), DeadLetters.FAILED_AT);
        return (reason == null
                        || (why != null
                                && why.toLowerCase(Locale.ROOT)
                                        .contains(reason.toLowerCase(Locale.ROOT))))
                && (type == null
                        || type.equals(BusHeaders.text(record.headers(), BusHeaders.CE_TYPE)))
                && (since == null
                        || (failedAt != null && !Instant.parse(failedAt).isBefore(since)));
    }
}
