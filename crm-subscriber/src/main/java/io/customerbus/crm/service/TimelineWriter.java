package io.customerbus.crm.service;

import io.customerbus.events.CustomerEvent;
import io.customerbus.runtime.subscriber.BusEvent;
import io.customerbus.runtime.subscriber.PoisonEventException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Stores batches of bus events in the timeline, each event once (its eventId is the key): a
 * redelivered or replayed event changes nothing. The timeline is the CRM's whole store; profiles
 * are computed from it when read.
 */
@ApplicationScoped
public class TimelineWriter {

    private static final String COLUMNS =
            "(event_id, user_id, event_type, product_id, occurred_at, source, payload)";
    private static final String COPY_DIRECT = "COPY crm_event " + COLUMNS + " FROM STDIN";
    private static final String STAGE =
            "CREATE TEMP TABLE IF NOT EXISTS crm_event_stage (LIKE crm_event INCLUDING DEFAULTS)"
                    + " ON COMMIT DELETE ROWS";
    private static final String COPY_STAGE = "COPY crm_event_stage " + COLUMNS + " FROM STDIN";
    private static final String MOVE =
            "INSERT INTO crm_event SELECT * FROM crm_event_stage ON CONFLICT (event_id) DO NOTHING";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DATA_EXCEPTION_CLASS = "22";
    private static final Logger LOG = Logger.getLogger(TimelineWriter.class);

    @Inject DataSource dataSource;

    /**
     * Parallel transactions per batch: COPY is CPU-bound in PostgreSQL, two keep two cores busy.
     */
    @ConfigProperty(name = "crm.subscriber.writers", defaultValue = "2")
    int writers;

    private ExecutorService shardWriters;

    @PostConstruct
    void startWriters() {
        shardWriters =
                Executors.newFixedThreadPool(
                        Math.max(1, writers - 1),
                        task -> {
                            Thread thread = new Thread(task, "crm-shard-writer");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    @PreDestroy
    void stopWriters() {
        shardWriters.shutdownNow();
    }

    /**
     * Splits the batch by customer into one shard per writer and stores the shards in parallel
     * transactions. A shard that fails fails the batch, which is then retried whole (less an event
     * the database refuses for good, which is dead-lettered): the shards already committed skip
     * their events the second time.
     */
    public void apply(List<BusEvent> batch) throws SQLException {
        List<Map<UUID, BusEvent>> shards = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            shards.add(new LinkedHashMap<>());
        }
        for (BusEvent received : batch) {
            CustomerEvent event = received.event();
            shards.get(Math.floorMod(event.userId().hashCode(), writers))
                    .putIfAbsent(event.eventId(), received);
        }
        List<Future<?>> others = new ArrayList<>();
        for (Map<UUID, BusEvent> shard : shards.subList(1, shards.size())) {
            if (!shard.isEmpty()) {
                others.add(shardWriters.submit(() -> store(shard.values())));
            }
        }
        Throwable failure = null;
        try {
            store(shards.get(0).values());
        } catch (SQLException | RuntimeException e) {
            failure = e;
        }
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while writing the timeline", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            }
        }
        if (failure instanceof SQLException sql) {
            throw sql;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime; // a PoisonEventException among them: its event goes to the DLQ
        }
        if (failure instanceof Error error) {
            throw error; // as it would be from the first shard: not a failure to retry
        }
        if (failure != null) {
            throw new SQLException(failure);
        }
    }

    /**
     * Stores a shard; if the database refuses a value for good (a data exception, SQLSTATE class 22
     * — bytes that are not UTF-8 in a payload, say), names the event it belongs to as poison, so
     * that it is dead-lettered and the rest of the batch is applied, instead of the batch being
     * retried for ever.
     */
    private Void store(Collection<BusEvent> events) throws SQLException {
        try {
            return storeTogether(events);
        } catch (SQLException refused) {
            if (!isDataException(refused)) {
                throw refused;
            }
            if (events.size() > 1) {
                LOG.warnf(
                        "the timeline refused a batch (%s); finding its event",
                        firstLine(refused.getMessage()));
            }
            Optional<BusEvent> poison =
                    events.size() == 1
                            ? Optional.of(events.iterator().next())
                            : refusedAmong(events);
            if (poison.isPresent()) {
                throw poison(poison.get(), refused);
            }
            throw refused; // no event refused alone: not the data's fault, retried as a whole
        }
    }

    /**
     * The first event whose row the database refuses on its own: each COPYed into the staging table
     * behind a savepoint, in one transaction that is rolled back, so that looking writes nothing
     * and waits for no commit.
     */
    private Optional<BusEvent> refusedAmong(Collection<BusEvent> events) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement stage = connection.createStatement()) {
                stage.execute(STAGE);
                CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
                for (BusEvent event : events) {
                    Savepoint before = connection.setSavepoint();
                    try {
                        copy.copyIn(COPY_STAGE, rowsOf(List.of(event)).stream());
                        connection.releaseSavepoint(before);
                    } catch (SQLException e) {
                        if (isDataException(e)) {
                            return Optional.of(event);
                        }
                        throw e;
                    }
                }
                return Optional.empty();
            } catch (IOException e) {
                throw new SQLException("COPY into the staging table failed", e);
            } finally {
                connection.rollback();
            }
        }
    }

    private static boolean isDataException(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith(DATA_EXCEPTION_CLASS);
    }

    private static PoisonEventException poison(BusEvent event, SQLException refused) {
        return new PoisonEventException(
                event.event().eventId(),
                "the CRM's database refuses it: " + firstLine(refused.getMessage()));
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    /**
     * One transaction. Optimistically a straight COPY into the timeline — PostgreSQL's fastest way
     * in, and it succeeds whenever no event of the shard is stored yet (a new CRM, live traffic).
     * If one is (a redelivery, a rewound group), the COPY stops at the primary key, is undone to a
     * savepoint, and the shard goes through a staging table that skips what is already there.
     */
    private Void storeTogether(Collection<BusEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return null;
        }
        CopyRows rows = rowsOf(events);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
                if (!copyDirect(connection, copy, rows)) {
                    try (Statement stage = connection.createStatement()) {
                        stage.execute(STAGE);
                    }
                    copy.copyIn(COPY_STAGE, rows.stream());
                    try (PreparedStatement move = connection.prepareStatement(MOVE)) {
                        move.executeUpdate();
                    }
                }
                connection.commit();
                return null;
            } catch (IOException e) {
                connection.rollback();
                throw new SQLException("COPY into the timeline failed", e);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static CopyRows rowsOf(Collection<BusEvent> events) {
        CopyRows rows = new CopyRows(events.size());
        for (BusEvent received : events) {
            CustomerEvent event = received.event();
            rows.text(event.eventId().toString())
                    .text(event.userId())
                    .text(event.eventType())
                    .text(event.productId())
                    .text(event.occurredAt().toString())
                    .text(event.source())
                    .bytes(received.payload())
                    .endRow();
        }
        return rows;
    }

    private static boolean copyDirect(Connection connection, CopyManager copy, CopyRows rows)
            throws SQLException, IOException {
        Savepoint beforeCopy = connection.setSavepoint();
        try {
            copy.copyIn(COPY_DIRECT, rows.stream());
            connection.releaseSavepoint(beforeCopy);
            return true;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(beforeCopy);
            return false;
        }
    }
}
