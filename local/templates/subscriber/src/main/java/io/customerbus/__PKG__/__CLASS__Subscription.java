package io.customerbus.__PKG__;

import io.customerbus.runtime.subscriber.BusSubscriber;
import io.customerbus.runtime.subscriber.RunningSubscribers;
import io.customerbus.runtime.subscriber.SubscriberSettings;
import io.customerbus.events.kafka.EventTypeFilter;
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
 * Consumes the bus for the life of the service with the toolkit: only the configured types
 * (decided on the header), poison records to customer-events.__NAME__.dlq with the reason, offsets
 * committed after the handler applied a batch, standard metrics and readiness.
 */
@ApplicationScoped
@Readiness
public class __CLASS__Subscription implements HealthCheck {

    public static final String NAME = "__NAME__";

    @Inject __CLASS__Handler handler;
    @Inject MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "__PROP__.group-id")
    String groupId;

    @ConfigProperty(name = "__PROP__.auto-offset-reset")
    String autoOffsetReset;

    @ConfigProperty(name = "__PROP__.types")
    String types;

    private RunningSubscribers running;

    void start(@Observes StartupEvent started) {
        BusSubscriber subscriber =
                new BusSubscriber(
                        new SubscriberSettings(
                                NAME,
                                groupId,
                                EventTypeFilter.parse(types),
                                bootstrapServers,
                                autoOffsetReset,
                                500),
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
