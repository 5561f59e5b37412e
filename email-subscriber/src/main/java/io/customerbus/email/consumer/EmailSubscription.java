package io.customerbus.email.consumer;

import io.customerbus.runtime.idempotency.IdempotencyStore;
import io.customerbus.runtime.subscriber.BusSubscribers;
import io.customerbus.runtime.subscriber.DeadLetterDepth;
import io.customerbus.runtime.subscriber.DeadLetters;
import io.customerbus.runtime.subscriber.Retries;
import io.customerbus.runtime.tracing.BusTracing;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Two channels: the bus (group email-subscriber), and its own retry topic (group
 * email-subscriber-retry), so one customer's failing email never holds up the others. Both are
 * configured in application.properties; sending blocks on the SMTP server.
 */
@ApplicationScoped
public class EmailSubscription {

    public static final String NAME = "email";
    public static final String BUS = "customer-events";
    public static final String RETRY = "email-retry";

    @Inject BusSubscribers bus;
    @Inject EmailSettings settings;
    @Inject EmailMetrics metrics;
    @Inject RedisDataSource redis;
    @Inject MeterRegistry registry;
    @Inject BusTracing tracing;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private Retries retries;
    private DeadLetters deadLetters;
    private DeadLetterDepth deadLetterDepth;
    private EmailDispatcher dispatcher;

    @PostConstruct
    void start() {
        retries = new Retries(NAME, bootstrapServers);
        deadLetters = new DeadLetters(NAME, bootstrapServers);
        dispatcher =
                new EmailDispatcher(
                        settings,
                        new IdempotencyStore(redis, "email-sent"),
                        retries,
                        deadLetters,
                        metrics,
                        tracing);
        deadLetterDepth = new DeadLetterDepth(NAME, bootstrapServers, Duration.ofSeconds(10));
        Gauge.builder("email.dlq.depth", deadLetterDepth, DeadLetterDepth::depth)
                .description("records waiting in customer-events.email.dlq")
                .register(registry);
    }

    @Incoming(BUS)
    @Blocking
    public void fromBus(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        bus.apply(BUS, records, dispatcher::fromBus);
    }

    @Incoming(RETRY)
    @Blocking
    public void fromRetryTopic(ConsumerRecords<String, byte[]> records)
            throws InterruptedException {
        bus.apply(RETRY, records, dispatcher::fromRetryTopic);
    }

    @PreDestroy
    void stop() {
        retries.close();
        deadLetters.close();
        deadLetterDepth.close();
    }
}
