package io.customerbus.runtime.subscriber;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A service's bus readers for its lifetime, the same for every subscriber: started together with
 * their standard metrics, ready together — once each has joined its group and while the broker
 * answers — and stopped together. A service keeps one and exposes {@link #readiness()} from its own
 * {@code @Readiness} bean.
 */
public final class RunningSubscribers implements AutoCloseable {

    private final List<BusSubscriber> readers;
    private final BrokerReachability broker;

    private RunningSubscribers(List<BusSubscriber> readers, BrokerReachability broker) {
        this.readers = readers;
        this.broker = broker;
    }

    public static RunningSubscribers start(
            MeterRegistry registry, String bootstrapServers, BusSubscriber... readers) {
        List<BusSubscriber> all = List.of(readers);
        all.forEach(reader -> SubscriberMetrics.bind(registry, reader));
        BrokerReachability broker = new BrokerReachability(bootstrapServers, Duration.ofSeconds(5));
        all.forEach(BusSubscriber::start);
        return new RunningSubscribers(all, broker);
    }

    /** Readiness of a service whose readers have not been started (yet): down. */
    public static HealthCheckResponse notStarted() {
        return HealthCheckResponse.down("bus");
    }

    public HealthCheckResponse readiness() {
        boolean joined = !readers.isEmpty() && readers.stream().allMatch(BusSubscriber::joined);
        boolean reachable = broker.reachable();
        return HealthCheckResponse.named("bus")
                .status(joined && reachable)
                .withData("kafka", reachable ? "reachable" : "unreachable")
                .withData("consuming", joined)
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        for (BusSubscriber reader : readers) {
            reader.close();
        }
        broker.close();
    }
}
