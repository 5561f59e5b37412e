package io.customerbus.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.operations.TopicScan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prints bus records as they are: position, time, key, every header and the body, pretty-printed
 * (or one JSON object per line with --json). Reads without a consumer group, so it never disturbs a
 * subscriber, and only committed transactions, as subscribers see them.
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Print events of the bus with their headers.",
            "Follows new events until --limit is reached or Ctrl-C."
        })
public class TailCommand implements Callable<Integer> {

    @Mixin BrokerOptions broker;

    @Option(
            names = {"-t", "--type"},
            split = ",",
            paramLabel = "T",
            description = "Only these event types (ce_type header); repeatable or comma-separated.")
    Set<String> types;

    @Option(
            names = {"-u", "--user"},
            paramLabel = "U",
            description = "Only this customer (the record key).")
    String user;

    @Option(names = "--from-beginning", description = "Start at the oldest record, not the end.")
    boolean fromBeginning;

    @Option(
            names = {"-n", "--limit"},
            paramLabel = "N",
            description = "Stop after N matching events.")
    Integer limit;

    @Option(
            names = "--no-follow",
            description = "Stop at the end of the bus as it was when the command started.")
    boolean noFollow;

    @Option(names = "--json", description = "One JSON object per event and line, for scripts.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        if (limit != null && limit < 1) {
            System.err.println("--limit must be at least 1");
            return ExitCodes.USAGE;
        }
        try (KafkaConsumer<String, byte[]> reader = broker.reader(500)) {
            List<TopicPartition> partitions =
                    TopicScan.partitions(reader, BusTopics.CUSTOMER_EVENTS);
            if (partitions.isEmpty()) {
                // The client lists no partitions for a topic the broker does not have.
                System.err.printf(
                        "%s has no topic %s (another cluster, or not set up yet)%n",
                        broker.bootstrapServers(), BusTopics.CUSTOMER_EVENTS);
                return ExitCodes.NOT_FOUND;
            }
            reader.assign(partitions);
            if (fromBeginning) {
                reader.seekToBeginning(partitions);
            } else {
                reader.seekToEnd(partitions);
            }
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
            int printed = 0;
            while (!noFollow
                    || partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(500))) {
                    if (!matches(record)) {
                        continue;
                    }
                    System.out.println(
                            json ? RecordPrinter.line(record) : RecordPrinter.pretty(record));
                    if (limit != null && ++printed >= limit) {
                        return ExitCodes.OK;
                    }
                }
            }
            return ExitCodes.OK;
        } catch (KafkaException e) {
            return BrokerFailures.report(e);
        }
    }

    private boolean matches(ConsumerRecord<String, byte[]> record) {
        return (user == null || user.equals(record.key()))
                && (types == null
                        || types.contains(BusHeaders.text(record.headers(), BusHeaders.CE_TYPE)));
    }
}
