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

    @Override
    public HealthCheckResponse call() {
        String failure = relay.lastFailure();
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("customer-event outbox")
                        .up()
                        .withData("backlog", (long) metrics.backlog())
                        .withData("kafka", failure == null ? "publishing" : "degraded");
        if (failure != null) {
            response.withData("lastFailure", failure);
        }
        return response.build();
    }
}
