package io.customerbus.cli;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.json.CarriageRules;
import io.customerbus.events.json.InvalidEventException;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.kafka.BusProducers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    @Option(
            names = "--via-gateway",
            paramLabel = "URL",
            description =
                    "Publish through the event gateway at URL (e.g. http://127.0.0.1:8086) instead"
                            + " of straight to Kafka; the events' source is then the token's"
                            + " publisher.")
    String gateway;

    @Option(
            names = "--token",
            defaultValue = "${env:BUS_GATEWAY_TOKEN}",
            description =
                    "The publisher token for --via-gateway (env BUS_GATEWAY_TOKEN); it must allow"
                            + " every type: ./platform token --publisher NAME --types"
                            + " account-created,purchase,refund,product-transfer,product-use,support-call")
    String token;

    @Option(
            names = "--batch",
            defaultValue = "500",
            description =
                    "Events per request with --via-gateway, per file with --out (default"
                            + " ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Write the events into DIR instead of publishing them: batch-000001.json, ...,"
                            + " each the body --via-gateway would post (a CloudEvents batch of"
                            + " --batch events), for curl or a load test that should not count"
                            + " making them.")
    Path out;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 1 || customers < 1 || products < 1 || batch < 1) {
            System.err.println("--count, --customers, --products and --batch must be at least 1");
            return ExitCodes.USAGE;
        }
        if (out != null && gateway != null) {
            System.err.println(
                    "--out writes the events instead of publishing them: not with --via-gateway");
            return ExitCodes.USAGE;
        }
        if (!CarriageRules.isSource(source)) {
            System.err.println(
                    "--source must be a URI reference of letters, digits and . _ : / - (such as"
                            + " bus-generate or /devices/thermostats), not '"
                            + source
                            + "'");
            return ExitCodes.USAGE;
        }
        SyntheticEvents events = new SyntheticEvents(source, seed, userPrefix, customers, products);
        try {
            events.checkOptions();
        } catch (InvalidEventException e) {
            // Only the options can make a synthetic event invalid (a --user-prefix too long).
            System.err.println("these options make events the contract refuses: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        long started = System.nanoTime();
        Integer exit =
                out != null
                        ? toFiles(events)
                        : gateway == null ? toKafka(events) : viaGateway(events);
        if (exit != ExitCodes.OK) {
            return exit;
        }
        double seconds = Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0;
        System.out.printf(
                "%s %d events in %.1f s (%.0f events/s)%n",
                out != null ? "wrote" : "published",
                count,
                seconds,
                count / Math.max(seconds, 0.001));
        events.madeByType().forEach((type, n) -> System.out.printf("  %-17s %d%n", type, n));
        return ExitCodes.OK;
    }

    private Integer viaGateway(SyntheticEvents events) throws InterruptedException {
        if (token == null || token.isBlank()) {
            System.err.println("--via-gateway needs --token (or BUS_GATEWAY_TOKEN)");
            return ExitCodes.USAGE;
        }
        GatewayClient client = new GatewayClient(gateway, token, broker.timeout());
        try {
            for (long sent = 0; sent < count; ) {
                List<CustomerEvent> next = nextBatch(events, count - sent);
                client.publish(next);
                sent += next.size();
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("could not publish through " + gateway + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private Integer toFiles(SyntheticEvents events) {
        try {
            Files.createDirectories(out);
            int files = 0;
            for (long written = 0; written < count; ) {
                List<CustomerEvent> next = nextBatch(events, count - written);
                Path file = out.resolve(String.format("batch-%06d.json", ++files));
                Files.writeString(file, GatewayClient.batchBody(next));
                written += next.size();
            }
        } catch (IOException e) {
            System.err.println("could not write to " + out + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    /** The next batch: --batch events, or what is left of --count. */
    private List<CustomerEvent> nextBatch(SyntheticEvents events, long left) {
        List<CustomerEvent> next = new ArrayList<>();
        while (next.size() < batch && next.size() < left) {
            next.add(events.next());
        }
        return next;
    }

    private Integer toKafka(SyntheticEvents events) {
        AtomicReference<Exception> failure = new AtomicReference<>();
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
            return BrokerFailures.report("publish", failure.get());
        }
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
