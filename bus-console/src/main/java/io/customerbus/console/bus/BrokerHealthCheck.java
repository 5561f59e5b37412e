package io.customerbus.console.bus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the broker answers: the console has nothing to show without it. */
@Readiness
@ApplicationScoped
public class BrokerHealthCheck implements HealthCheck {

    @Inject BusConnection connection;

    @Override
    public HealthCheckResponse call() {
        try {
            String cluster =
                    connection.run(
                            (admin, reader, catalog) -> admin.describeCluster().clusterId().get());
            return HealthCheckResponse.named("kafka").up().withData("cluster", cluster).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("kafka")
                    .down()
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
