package io.customerbus.email.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The provider's state, for people: an SMTP outage is "degraded", never "not ready" — the
 * subscriber keeps consuming and retries, so taking it out of service would only add a second
 * outage.
 */
@Readiness
@ApplicationScoped
public class SmtpHealthCheck implements HealthCheck {

    @Inject EmailMetrics metrics;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("smtp").up();
        EmailMetrics.ProviderTrouble trouble = metrics.providerTrouble();
        if (trouble == null) {
            return response.withData("smtp", "ok").build();
        }
        return response.withData("smtp", "degraded")
                .withData("since", trouble.since().toString())
                .withData("reason", trouble.reason())
                .build();
    }
}
