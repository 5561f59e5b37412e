package io.customerbus.cli;

import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.kafka.BusProducers;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Publishes synthetic customer events — every type, schema-valid, with CloudEvents headers — for
 * demos, load tests and the replay benchmark. Not for production buses: the events are made up.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Publish N synthetic, schema-valid customer events (demos, load tests).")
public class GenerateCommand implements Callable<Integer> {

    @Mixin BrokerOptions broker;

    @Option(
            names = {"-n", "--count"},
            required = true,
            description = "How many events.")
    long count;

    @Option(
            names = "--customers",
            defaultValue = "10000",
            description = "Spread over this many customers (default ${DEFAULT-VALUE}).")
    int customers;

    @Option(
            names = "--products",
            defaultValue = "500",
            description = "...and this many products (default ${DEFAULT-VALUE}).")
    int products;

    @Option(
            names = "--user-prefix",
            defaultValue = "synthetic-",
            description = "User ids are this prefix and a number (default ${DEFAULT-VALUE}).")
    String userPrefix;

    @Option(
            names = "--source",
            defaultValue = "bus-generate",
            description = "The events' source (default ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (reproducible mix).")
    long seed;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 1 || customers < 1 || products < 1) {
            System.err.println("--count, --customers and --products must be at least 1");
            return ExitCodes.USAGE;
        }
        SyntheticEvents events = new SyntheticEvents(source, seed, userPrefix, customers, products);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (long i = 0; i < count && failure.get() == null; i++) {
                producer.send(
                        BusRecordCodec.encode(
                                BusTopics.CUSTOMER_EVENTS, events.next(), Optional.empty()),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
        } catch (KafkaException e) {
            failure.compareAndSet(null, e);
        }
        if (failure.get() != null) {
            System.err.println("could not publish: " + failure.get().getMessage());
            return ExitCodes.BROKER_UNREACHABLE;
        }
        double seconds = Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0;
        System.out.printf(
                "published %d events in %.1f s (%.0f events/s)%n",
                count, seconds, count / Math.max(seconds, 0.001));
        return ExitCodes.OK;
    }

    private KafkaProducer<String, byte[]> producer() {
        return BusProducers.create(
                broker.bootstrapServers(),
                "bus-cli-generate",
                Map.of(
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        512 * 1024,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        broker.timeout().toMillis(),
                        // At least linger + the default request timeout, as Kafka requires.
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        (int) Math.max(60_000, broker.timeout().toMillis())));
    }
}
