package io.customerbus.gateway.intake;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Keeps the ledger of accepted ids to its retention, so that it does not grow with every event ever
 * published: ids older than {@code bus.gateway.idempotency.retention} are forgotten, and a retry
 * after that is accepted as a new event (which subscribers still apply once per eventId).
 */
@ApplicationScoped
public class LedgerExpiry {

    @Inject AcceptedEvents ledger;
    @Inject GatewayConfig config;
    @Inject MeterRegistry registry;

    @Scheduled(
            every = "${bus.gateway.idempotency.forget-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule() {
        forgetExpired();
    }

    /** Forgets the ids older than the retention now; returns how many. */
    public long forgetExpired() {
        long forgotten =
                ledger.forgetAcceptedBefore(Instant.now().minus(config.idempotency().retention()));
        registry.counter("gateway.ledger.forgotten").increment(forgotten);
        return forgotten;
    }
}
