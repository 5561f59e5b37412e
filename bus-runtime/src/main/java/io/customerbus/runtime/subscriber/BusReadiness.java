package io.customerbus.runtime.subscriber;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * A subscriber service is ready once every bus channel it declares has joined its group and none
 * was stopped by an error, and while the broker answers (a consumer keeps polling quietly while the
 * broker is away, so it has to be asked).
 */
@Readiness
@ApplicationScoped
public class BusReadiness implements HealthCheck {

    private static final String CHANNEL = "mp\\.messaging\\.incoming\\.[^.]+\\.connector";

    @Inject BusSubscribers subscribers;
    @Inject Config config;

    private BrokerReachability broker;
    private long declared = -1;

    @Override
    public HealthCheckResponse call() {
        var started = subscribers.started();
        boolean joined =
                started.size() >= declared() && started.stream().allMatch(BusSubscriber::ready);
        boolean reachable = broker().reachable();
        return HealthCheckResponse.named("bus")
                .status(joined && reachable)
                .withData("kafka", reachable ? "reachable" : "unreachable")
                .withData("consuming", joined)
                .build();
    }

    /**
     * The channels the configuration declares: each must have started before the service is ready.
     */
    private synchronized long declared() {
        if (declared < 0) {
            declared =
                    StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                            .filter(name -> name.matches(CHANNEL))
                            .count();
        }
        return declared;
    }

    private synchronized BrokerReachability broker() {
        if (broker == null) {
            String servers = config.getValue("kafka.bootstrap.servers", String.class);
            broker = new BrokerReachability(servers, Duration.ofSeconds(5));
        }
        return broker;
    }

    @PreDestroy
    synchronized void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
