package io.customerbus.runtime.outbox;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the relay's state without failing readiness: while Kafka is down the outbox absorbs the
 * events, so the service should keep taking requests. A database outage fails readiness through the
 * datasource's own check.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = OutboxConfig.ENABLED, stringValue = "true")
public class OutboxHealthCheck implements HealthCheck {

    @Inject OutboxRelay relay;
    @Inject OutboxMetrics metrics;
    @Inject OutboxWakeUp slots;

    @Override
    public HealthCheckResponse call() {
        String failure = relay.lastFailure();
        int owned = slots.ownedCount();
        double backlog = metrics.backlog();
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("customer-event outbox")
                        .up()
                        .withData("kafka", failure != null ? "degraded" : state(owned))
                        .withData("slots", owned);
        // NaN: the database did not answer (its own check says so), not an empty outbox.
        if (Double.isNaN(backlog)) {
            response.withData("backlog", "unknown");
        } else {
            response.withData("backlog", (long) backlog);
        }
        if (failure != null) {
            response.withData("lastFailure", failure);
        }
        return response.build();
    }

    /**
     * A replica whose relay owns no slot publishes nothing while another relays them all (it takes
     * them over if that one dies): it says so rather than "publishing".
     */
    private static String state(int ownedSlots) {
        return ownedSlots == 0 ? "standby" : "publishing";
    }
}
