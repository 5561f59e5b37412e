package io.customerbus.events.consumer;

import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A subscriber's readiness, the same for every subscriber: up once each of its readers has joined
 * its group and while the broker answers. A service exposes it from its own {@code @Readiness}
 * bean.
 */
public final class SubscriberReadiness {

    private SubscriberReadiness() {}

    public static HealthCheckResponse of(List<BusSubscriber> readers, BrokerReachability broker) {
        boolean joined = !readers.isEmpty() && readers.stream().allMatch(BusSubscriber::joined);
        boolean reachable = broker.reachable();
        return HealthCheckResponse.named("bus")
                .status(joined && reachable)
                .withData("kafka", reachable ? "reachable" : "unreachable")
                .withData("consuming", joined)
                .build();
    }
}
