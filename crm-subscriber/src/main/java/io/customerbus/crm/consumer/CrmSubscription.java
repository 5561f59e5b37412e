package io.customerbus.crm.consumer;

import io.customerbus.crm.service.TimelineWriter;
import io.customerbus.events.consumer.BrokerReachability;
import io.customerbus.events.consumer.BusSubscriber;
import io.customerbus.events.consumer.SubscriberMetrics;
import io.customerbus.events.consumer.SubscriberReadiness;
import io.customerbus.events.consumer.SubscriberSettings;
import io.customerbus.events.kafka.EventTypeFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
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

    private BusSubscriber subscriber;
    private BrokerReachability broker;

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
        subscriber = new BusSubscriber(settings, timeline::apply);
        SubscriberMetrics.bind(registry, subscriber);
        broker = new BrokerReachability(bootstrapServers, Duration.ofSeconds(5));
        subscriber.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        if (subscriber != null) {
            subscriber.close();
            broker.close();
        }
    }

    /** Ready once it has joined its group and while the broker answers. */
    @Override
    public HealthCheckResponse call() {
        return subscriber == null
                ? HealthCheckResponse.down("bus")
                : SubscriberReadiness.of(List.of(subscriber), broker);
    }
}
