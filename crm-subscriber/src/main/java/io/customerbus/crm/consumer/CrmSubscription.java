package io.customerbus.crm.consumer;

import io.customerbus.crm.service.TimelineWriter;
import io.customerbus.events.consumer.BusSubscriber;
import io.customerbus.events.consumer.SubscriberMetrics;
import io.customerbus.events.consumer.SubscriberSettings;
import io.customerbus.events.kafka.EventTypeFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Runs the CRM's subscription to the bus for the life of the service. */
@ApplicationScoped
public class CrmSubscription {

    public static final String NAME = "crm";

    @Inject CrmSubscriberConfig config;
    @Inject TimelineWriter timeline;
    @Inject MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private BusSubscriber subscriber;

    void start(@Observes StartupEvent started) {
        SubscriberSettings settings =
                new SubscriberSettings(
                        NAME,
                        config.groupId(),
                        EventTypeFilter.parse(config.types()),
                        bootstrapServers,
                        config.autoOffsetReset(),
                        config.maxPollRecords());
        subscriber = new BusSubscriber(settings, timeline::apply);
        SubscriberMetrics.bind(registry, subscriber);
        subscriber.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
