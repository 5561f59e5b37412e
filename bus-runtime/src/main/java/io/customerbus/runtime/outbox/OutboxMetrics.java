package io.customerbus.runtime.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Outbox meters: events published by type, commit-to-ack latency and its two parts (waiting for the
 * relay to read the row, the Kafka transaction that carried it), backlog, and the relay's
 * transactions (how many events each carried, and the interval it waits between them).
 */
@ApplicationScoped
@IfBuildProperty(name = OutboxConfig.ENABLED, stringValue = "true")
public class OutboxMetrics {

    @Inject MeterRegistry registry;
    @Inject DataSource dataSource;

    private Timer commitToAck;
    private Timer commitToRead;
    private Timer transactions;
    private DistributionSummary batches;

    @PostConstruct
    void register() {
        commitToAck =
                Timer.builder("bus.outbox.commit.to.ack")
                        .description("From the outbox row's commit to the broker's acknowledgement")
                        .publishPercentiles(0.5, 0.99)
                        .publishPercentileHistogram()
                        .register(registry);
        // Commit to ack is commit to read plus the transaction that carried the row: an operator
        // whose commit-to-ack grew sees whether the relay fell behind (or paces longer) or the
        // broker got slower.
        commitToRead =
                Timer.builder("bus.outbox.commit.to.read")
                        .description(
                                "From the outbox row's commit to the relay's read of it: the"
                                        + " relay's pacing wait, the batch before (its transaction"
                                        + " and delete) and the read")
                        .publishPercentileHistogram()
                        .register(registry);
        transactions =
                Timer.builder("bus.outbox.transaction")
                        .description(
                                "One committed Kafka transaction of the relay, from its first send"
                                        + " to the broker's answer to its commit")
                        .publishPercentileHistogram()
                        .register(registry);
        batches =
                DistributionSummary.builder("bus.outbox.transaction.events")
                        .description("Events per Kafka transaction of the relay")
                        .register(registry);
        Gauge.builder("bus.outbox.backlog", this, OutboxMetrics::backlog)
                .description("Outbox rows not yet acknowledged by Kafka")
                .register(registry);
    }

    /** The relay's pacing, read when scraped. */
    void pacing(BatchPacing pacing) {
        Gauge.builder("bus.outbox.batch.interval", pacing, p -> p.intervalNanos() / 1e9)
                .description("How long the relay lets commits gather before a transaction")
                .baseUnit("seconds")
                .register(registry);
    }

    /**
     * The rows one transaction published, read at {@code readAt}, the transaction having taken
     * {@code transaction}. A failed one records nothing: its rows are read again, and counted once
     * they are on the bus.
     */
    void published(
            List<OutboxRow> rows, Instant readAt, Duration transaction, Instant acknowledgedAt) {
        if (rows.isEmpty()) {
            return;
        }
        batches.record(rows.size());
        transactions.record(transaction);
        Map<String, Integer> byType = new HashMap<>();
        for (OutboxRow row : rows) {
            commitToRead.record(Duration.between(row.createdAt(), readAt));
            commitToAck.record(Duration.between(row.createdAt(), acknowledgedAt));
            byType.merge(row.eventType(), 1, Integer::sum);
        }
        // A counter looked up per type and batch, not per event.
        byType.forEach(
                (type, n) ->
                        Counter.builder("bus.events.published")
                                .description("Events acknowledged on the bus")
                                .tag("type", type)
                                .register(registry)
                                .increment(n));
    }

    /** Rows still waiting; NaN when the database cannot say. */
    public double backlog() {
        try (Connection connection = dataSource.getConnection()) {
            return OutboxStore.backlog(connection);
        } catch (SQLException e) {
            return Double.NaN;
        }
    }
}
