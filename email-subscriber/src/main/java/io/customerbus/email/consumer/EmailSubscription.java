package io.customerbus.email.consumer;

import io.customerbus.events.kafka.EventTypeFilter;
import io.customerbus.runtime.idempotency.IdempotencyStore;
import io.customerbus.runtime.subscriber.BusSubscriber;
import io.customerbus.runtime.subscriber.DeadLetterDepth;
import io.customerbus.runtime.subscriber.DeadLetters;
import io.customerbus.runtime.subscriber.Retries;
import io.customerbus.runtime.subscriber.RunningSubscribers;
import io.customerbus.runtime.subscriber.SubscriberSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Two readers for the life of the service: the bus (group email-subscriber), and its own retry
 * topic (group email-subscriber-retry), so one customer's failing email never holds up the others.
 */
@ApplicationScoped
public class EmailSubscription {

    public static final String NAME = "email";

    @Inject EmailSettings settings;
    @Inject EmailMetrics metrics;
    @Inject RedisDataSource redis;
    @Inject MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private Retries retries;
    private DeadLetters deadLetters;
    private DeadLetterDepth deadLetterDepth;
    private RunningSubscribers running;

    void start(@Observes StartupEvent started) {
        retries = new Retries(NAME, bootstrapServers);
        deadLetters = new DeadLetters(NAME, bootstrapServers);
        EmailDispatcher dispatcher =
                new EmailDispatcher(
                        settings,
                        new IdempotencyStore(redis, "email-sent"),
                        retries,
                        deadLetters,
                        metrics);
        SubscriberSettings onBus =
                new SubscriberSettings(
                        NAME,
                        settings.groupId(),
                        EventTypeFilter.parse(settings.types()),
                        bootstrapServers,
                        settings.autoOffsetReset(),
                        200);
        BusSubscriber bus = new BusSubscriber(onBus, dispatcher::fromBus);
        // Waiting records must never be lost, so the retry reader starts from the earliest.
        BusSubscriber retryTopic =
                new BusSubscriber(
                        new SubscriberSettings(
                                NAME,
                                settings.groupId() + "-retry",
                                onBus.types(),
                                bootstrapServers,
                                "earliest",
                                50,
                                retries.topic(),
                                0),
                        dispatcher::fromRetryTopic);
        deadLetterDepth = new DeadLetterDepth(NAME, bootstrapServers, Duration.ofSeconds(10));
        Gauge.builder("email.dlq.depth", deadLetterDepth, DeadLetterDepth::depth)
                .description("records waiting in customer-events.email.dlq")
                .register(registry);
        running = RunningSubscribers.start(registry, bootstrapServers, bus, retryTopic);
    }

    /** Up once both readers have joined their groups and while the broker answers. */
    public HealthCheckResponse readiness() {
        return running == null ? RunningSubscribers.notStarted() : running.readiness();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        if (running != null) {
            running.close();
            retries.close();
            deadLetters.close();
            deadLetterDepth.close();
        }
    }
}
