package io.customerbus.email.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the bus and the retry topic are being consumed (both groups joined) and while the
 * broker answers. (Redis has its own readiness check, from the Redis extension.)
 */
@Readiness
@ApplicationScoped
public class BusReadinessCheck implements HealthCheck {

    @Inject EmailSubscription subscription;

    @Override
    public HealthCheckResponse call() {
        return subscription.readiness();
    }
}
