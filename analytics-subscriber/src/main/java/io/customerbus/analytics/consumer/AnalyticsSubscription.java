package io.customerbus.analytics.consumer;

import io.customerbus.events.kafka.EventTypeFilter;
import io.customerbus.runtime.subscriber.BusSubscriber;
import io.customerbus.runtime.subscriber.RunningSubscribers;
import io.customerbus.runtime.subscriber.SubscriberSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Consumes every type of the bus for the life of the service with the toolkit: poison records to
 * customer-events.analytics.dlq with the reason, offsets committed after a batch is in Redis,
 * standard metrics and readiness (plus Redis, from the Redis extension's own check).
 */
@ApplicationScoped
@Readiness
public class AnalyticsSubscription implements HealthCheck {

    public static final String NAME = "analytics";

    @Inject AnalyticsHandler handler;
    @Inject MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "analytics.group-id")
    String groupId;

    @ConfigProperty(name = "analytics.auto-offset-reset")
    String autoOffsetReset;

    @ConfigProperty(name = "analytics.max-poll-records")
    int maxPollRecords;

    private RunningSubscribers running;

    void start(@Observes StartupEvent started) {
        BusSubscriber subscriber =
                new BusSubscriber(
                        new SubscriberSettings(
                                NAME,
                                groupId,
                                EventTypeFilter.parse("*"),
                                bootstrapServers,
                                autoOffsetReset,
                                maxPollRecords),
                        handler::handle);
        running = RunningSubscribers.start(registry, bootstrapServers, subscriber);
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        if (running != null) {
            running.close();
        }
    }

    /** Ready once it has joined its group and while the broker answers. */
    @Override
    public HealthCheckResponse call() {
        return running == null ? RunningSubscribers.notStarted() : running.readiness();
    }
}
