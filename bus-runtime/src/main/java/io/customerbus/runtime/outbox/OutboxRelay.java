package io.customerbus.runtime.outbox;

import io.customerbus.runtime.subscriber.Backoff;
import io.customerbus.runtime.tracing.BusTracing;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.apache.kafka.common.errors.RetriableException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to the bus and deletes them only once the broker has acknowledged
 * them. Each slot is relayed by one process at a time (a session advisory lock on the relay's
 * connection), which keeps per-customer order with any number of replicas; if the owner dies its
 * connection closes and another replica takes the slot over.
 */
@ApplicationScoped
@IfBuildProperty(name = OutboxConfig.ENABLED, stringValue = "true")
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    // This process's, for every producer it makes (see OutboxPublisher); under the client id, whose
    // transactional ids the service's Kafka user may use.
    private String transactionalId;

    /** How the relay's session shows in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "outbox-relay";

    private static final Duration CLAIM_INTERVAL = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /**
     * How long a relay whose publishing fails holds on to its slots: then it lets them go, for a
     * replica that can reach Kafka to take over, and claims none for {@link #STAND_ASIDE} — a
     * replica cut off from the broker alone would otherwise keep its customers' events from the bus
     * while the others could publish them.
     */
    static final Duration HAND_OVER_AFTER = Duration.ofSeconds(20);

    static final Duration STAND_ASIDE = Duration.ofSeconds(30);

    @Inject DataSource dataSource;
    @Inject OutboxConfig config;
    @Inject OutboxWakeUp wakeUp;
    @Inject OutboxMetrics metrics;
    @Inject BusTracing tracing;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private final Set<Integer> owned = new TreeSet<>();
    private volatile boolean running;
    private volatile String lastFailure;
    private Thread relayThread;
    private OutboxListener listener;
    private Connection connection;
    private OutboxPublisher publisher;
    private BatchPacing pacing;
    private long deletedSinceVacuum;

    /** At runtime start, when configuration and the datasource are available. */
    void onStart(@Observes StartupEvent started) {
        if (config.relayEnabled()) {
            running = true;
            transactionalId = config.clientId() + "-" + UUID.randomUUID();
            pacing =
                    new BatchPacing(
                            config.batchInterval(),
                            config.batchIntervalMax(),
                            config.batchIntervalEvents(),
                            System.nanoTime());
            metrics.pacing(pacing);
            listener = new OutboxListener(dataSource, wakeUp);
            daemon("outbox-listener", listener).start();
            relayThread = daemon("outbox-relay", this::run);
            relayThread.start();
        }
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        return thread;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        if (listener != null) {
            listener.stop();
        }
        if (relayThread != null) {
            wakeUp.wake();
            relayThread.join(Duration.ofSeconds(10).toMillis());
        }
    }

    /** Null while publishing works; otherwise the last error, for the health check. */
    public String lastFailure() {
        return lastFailure;
    }

    private void run() {
        Instant nextClaim = Instant.MIN;
        Instant nextVacuum = Instant.now().plus(config.vacuumInterval());
        Backoff backoff = new Backoff(config.pollInterval(), MAX_BACKOFF);
        Instant failingSince = null;
        boolean standingAside = false;
        while (running) {
            try {
                connect();
                if (standingAside && publisher.reachesTopic()) {
                    // The broker answers this replica again (it was down for every replica, say):
                    // no reason to leave the slots to others any longer.
                    nextClaim = Instant.MIN;
                }
                if (Instant.now().isAfter(nextClaim)) {
                    standingAside = false;
                    claimFreeSlots();
                    nextClaim = Instant.now().plus(CLAIM_INTERVAL);
                }
                boolean more = relayBatch();
                lastFailure = null;
                failingSince = null;
                backoff.reset();
                // Also under a load that keeps every batch full: that is when dead rows pile up.
                if (deletedSinceVacuum > 0 && Instant.now().isAfter(nextVacuum)) {
                    OutboxStore.vacuum(connection);
                    deletedSinceVacuum = 0;
                    nextVacuum = Instant.now().plus(config.vacuumInterval());
                }
                if (!more) {
                    wakeUp.await(config.pollInterval());
                }
            } catch (SQLException | PublishFailedException | RuntimeException e) {
                // Whatever fails, the relay thread lives on: if it ended, its connection would
                // keep the slot locks, so no replica could take its slots over, and the health
                // check would still say it publishes.
                lastFailure = e.getMessage();
                Duration pause = backoff.next();
                LOG.warnf("outbox relay: %s; retrying in %s", e.getMessage(), pause);
                if (e instanceof SQLException) {
                    disconnect();
                } else {
                    // Includes a producer that could not start its transactions (no broker).
                    dropPublisher();
                    Instant now = Instant.now();
                    if (cutOff(e)) {
                        failingSince = failingSince == null ? now : failingSince;
                    }
                    if (failingSince != null
                            && !owned.isEmpty()
                            && now.isAfter(failingSince.plus(HAND_OVER_AFTER))) {
                        LOG.warnf(
                                "outbox relay: the broker has not been reachable for %s; letting"
                                        + " slots %s go to a replica that can publish, claiming"
                                        + " none for %s unless it answers again",
                                Duration.between(failingSince, now), owned, STAND_ASIDE);
                        disconnect();
                        nextClaim = now.plus(STAND_ASIDE);
                        standingAside = true;
                        failingSince = null;
                    }
                }
                sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Error e) {
                // Out of memory, say: the thread lives on here too, and lets its slots go (its
                // connection held their locks) for a replica, or its own next round, to take up.
                lastFailure = e.toString();
                LOG.errorf(e, "outbox relay: %s; letting its slots go", e);
                dropPublisher();
                disconnect();
                sleep(backoff.next());
            }
        }
        disconnect();
    }

    /**
     * Whether a failure says this replica cannot reach the broker (a timeout, a lost connection:
     * Kafka's retriable errors), rather than something any replica would meet — a record the broker
     * refuses, a row that makes no record — which handing the slots over would only spread.
     */
    static boolean cutOff(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    /** One batch of the owned slots; true when there may be more waiting. */
    private boolean relayBatch() throws SQLException, InterruptedException, PublishFailedException {
        if (owned.isEmpty()) {
            return false;
        }
        // Lets the commits of the next few milliseconds join this batch (see BatchPacing).
        long early = pacing.waitNanos(System.nanoTime());
        if (early > 0) {
            LockSupport.parkNanos(early);
        }
        OutboxStore.Pending pending =
                OutboxStore.pending(connection, owned, config.batchSize(), config.batchMaxBytes());
        List<OutboxRow> rows = pending.rows();
        if (rows.isEmpty()) {
            return false;
        }
        Instant readAt = Instant.now();
        long started = System.nanoTime();
        pacing.read(rows.size(), started);
        OutboxPublisher.Result result = publisher.publish(rows);
        // On the bus from here: the delete below is the relay's bookkeeping, not the event's way.
        Instant acknowledgedAt = Instant.now();
        long ended = System.nanoTime();
        pacing.published(ended);
        metrics.published(
                result.acknowledged(), readAt, Duration.ofNanos(ended - started), acknowledgedAt);
        OutboxStore.deletePublished(
                connection, result.acknowledged().stream().map(OutboxRow::id).toList());
        deletedSinceVacuum += result.acknowledged().size();
        if (result.failure() != null) {
            throw new PublishFailedException(
                    rows.size() - result.acknowledged().size(), result.failure());
        }
        return pending.full();
    }

    private void claimFreeSlots() throws SQLException {
        Set<Integer> taken = new TreeSet<>();
        for (int slot = 0; slot < config.slots(); slot++) {
            if (!owned.contains(slot) && OutboxStore.tryLockSlot(connection, slot)) {
                taken.add(slot);
            }
        }
        if (!taken.isEmpty()) {
            fenceEarlierRelays(taken);
            OutboxStore.recordRelay(connection, taken, transactionalId);
            owned.addAll(taken);
        }
        wakeUp.owned(Set.copyOf(owned));
    }

    /**
     * Before publishing a slot taken over, its earlier relay's open transaction is aborted: until
     * then it holds back every read_committed subscriber of the partitions it wrote to. If that
     * fails (the broker out of reach), the slots are let go again and claimed on the next round.
     */
    private void fenceEarlierRelays(Set<Integer> taken) throws SQLException {
        try {
            for (String earlier : OutboxStore.earlierRelays(connection, taken, transactionalId)) {
                LOG.infof("outbox relay: taking over slots from %s; fencing it", earlier);
                OutboxPublisher.fence(bootstrapServers, config.clientId(), earlier);
            }
        } catch (SQLException | RuntimeException e) {
            for (int slot : taken) {
                OutboxStore.unlockSlot(connection, slot);
            }
            throw e;
        }
    }

    private void connect() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = OutboxConnections.open(dataSource, APPLICATION_NAME);
            connection.setAutoCommit(true);
            // Deleting published rows need not wait for the WAL flush: if a crash loses the
            // delete, the rows are sent again and subscribers drop the copies by eventId.
            try (var statement = connection.createStatement()) {
                statement.execute("SET synchronous_commit = off");
            }
        }
        if (publisher == null) {
            publisher =
                    new OutboxPublisher(
                            bootstrapServers,
                            config.clientId(),
                            transactionalId,
                            config.topic(),
                            tracing);
        }
    }

    /** A failed producer goes without waiting: the next one's start aborts what it left open. */
    private void dropPublisher() {
        if (publisher != null) {
            publisher.abort();
            publisher = null;
        }
    }

    /**
     * Closing the connection (its own, not the pool's) releases the slot locks. A relay that stops
     * has committed or aborted its last transaction: it forgets its id, for no one to fence.
     */
    private void disconnect() {
        owned.clear();
        wakeUp.owned(Set.of());
        try {
            if (connection != null) {
                if (!running) {
                    OutboxStore.forgetRelay(connection, transactionalId);
                }
                connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing the relay connection", e);
        }
        connection = null;
        if (!running && publisher != null) {
            publisher.close();
            publisher = null;
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final class PublishFailedException extends Exception {
        PublishFailedException(int unpublished, Exception cause) {
            super(
                    unpublished
                            + " events not acknowledged by Kafka (kept in the outbox): "
                            + cause.getMessage(),
                    cause);
        }
    }
}
