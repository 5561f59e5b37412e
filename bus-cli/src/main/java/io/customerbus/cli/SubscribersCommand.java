package io.customerbus.cli;

import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.catalog.BusOverview;
import io.customerbus.runtime.catalog.SubscriberCatalog;
import io.customerbus.runtime.catalog.SubscriberDescription;
import io.customerbus.runtime.catalog.SubscriberStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The subscriber catalog — what each subscriber deployment said of itself when it started — with
 * what the broker says of it now: its members, its lag on the bus in records and in seconds, and
 * how many records wait in its dead-letter topic.
 */
@Command(
        name = "subscribers",
        mixinStandardHelpOptions = true,
        description =
                "Every subscriber from the catalog (customer-events.subscribers): its types, start,"
                        + " owner and version, with its members, lag and DLQ depth.")
public class SubscribersCommand implements Callable<Integer> {

    @Mixin BrokerOptions broker;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> connection = new HashMap<>();
        broker.connection().forEach((key, value) -> connection.put((String) key, value));
        try (Admin admin = broker.admin();
                KafkaConsumer<String, byte[]> reader = broker.reader(1)) {
            List<SubscriberDescription> catalog =
                    SubscriberCatalog.read(connection, broker.timeout());
            List<SubscriberStatus> statuses = BusOverview.of(admin, reader, catalog);
            System.out.printf(
                    "%-12s %-24s %-34s %-9s %-14s %-14s %7s %8s %11s %6s%n",
                    "SUBSCRIBER",
                    "GROUP",
                    "TYPES",
                    "STARTS",
                    "OWNER",
                    "VERSION",
                    "MEMBERS",
                    "LAG",
                    "LAG-SECONDS",
                    "DLQ");
            statuses.forEach(status -> System.out.println(row(status)));
            if (statuses.isEmpty()) {
                System.out.println("(no subscriber has described itself yet)");
            }
            return ExitCodes.OK;
        } catch (KafkaException e) {
            return BrokerFailures.report("read " + BusTopics.SUBSCRIBERS, e);
        } catch (ExecutionException e) {
            return BrokerFailures.report("read the subscribers' groups", e.getCause());
        }
    }

    private static String row(SubscriberStatus status) {
        SubscriberDescription subscriber = status.description();
        return String.format(
                "%-12s %-24s %-34s %-9s %-14s %-14s %7d %8s %11s %6s",
                subscriber.name(),
                subscriber.group(),
                String.join(",", subscriber.types()),
                subscriber.startsFrom(),
                subscriber.owner(),
                subscriber.version(),
                status.members(),
                orDash(status.lag()),
                orDash(status.lagSeconds()),
                orDash(status.deadLetters()));
    }

    /** Unknown (not committed yet, no DLQ topic) shows as "-". */
    private static String orDash(long value) {
        return value < 0 ? "-" : Long.toString(value);
    }
}
