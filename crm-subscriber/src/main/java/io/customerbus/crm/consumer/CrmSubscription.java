package io.customerbus.crm.consumer;

import io.customerbus.crm.service.TimelineWriter;
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

/** Runs the CRM's subscription to the bus for the life of the service. */
@ApplicationScoped
@Readiness
public class CrmSubscription implements HealthCheck {

    public static final String NAME = "crm";

    @Inject CrmSubscriberConfig config;
    @Inject TimelineWriter timeline;
    @Inject MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private RunningSubscribers running;

    void start(@Observes StartupEvent started) {
        SubscriberSettings settings =
                new SubscriberSettings(
                                NAME,
                                config.groupId(),
                                EventTypeFilter.parse(config.types()),
                                bootstrapServers,
                                config.autoOffsetReset(),
                                config.maxPollRecords())
                        .withMaxEventsPerSecond(config.maxEventsPerSecond());
        BusSubscriber subscriber = new BusSubscriber(settings, timeline::apply);
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
