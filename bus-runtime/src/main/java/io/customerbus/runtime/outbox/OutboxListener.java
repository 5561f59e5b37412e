package io.customerbus.runtime.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens for commits made by other replicas to slots this relay owns (PostgreSQL NOTIFY is
 * delivered at commit) and wakes the relay, so no replica's events wait for a polling interval.
 */
final class OutboxListener implements Runnable {

    static final String CHANNEL = "customer_event_outbox";
    private static final Logger LOG = Logger.getLogger(OutboxListener.class);
    private static final long CHECK_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private final DataSource dataSource;
    private final OutboxWakeUp wakeUp;
    private volatile boolean running = true;

    OutboxListener(DataSource dataSource, OutboxWakeUp wakeUp) {
        this.dataSource = dataSource;
        this.wakeUp = wakeUp;
    }

    @Override
    public void run() {
        while (running) {
            try (Connection connection = OutboxConnections.open(dataSource, "outbox-listener")) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                long nextCheck = System.nanoTime() + CHECK_EVERY_NANOS;
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(500);
                    if (notifications != null && ownsAny(notifications)) {
                        wakeUp.wake();
                    }
                    if (System.nanoTime() - nextCheck > 0) {
                        check(connection);
                        nextCheck = System.nanoTime() + CHECK_EVERY_NANOS;
                    }
                }
            } catch (SQLException | RuntimeException e) {
                // Whatever fails, the thread lives on: without it, commits of other replicas wait
                // for the relay's poll.
                LOG.debugf("outbox listener reconnecting: %s", e.getMessage());
                pause();
            }
        }
    }

    /**
     * Waiting for notifications reads nothing from a link that went silent, and says nothing
     * either: a statement now and then runs into the connection's socket timeout there, and the
     * listener connects again.
     */
    private static void check(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
    }

    void stop() {
        running = false;
    }

    /** A notification not of a slot (anyone may NOTIFY the channel) is passed over. */
    private boolean ownsAny(PGNotification[] notifications) {
        for (PGNotification notification : notifications) {
            String slot = notification.getParameter();
            if (slot != null && slot.matches("\\d{1,5}") && wakeUp.owns(Integer.parseInt(slot))) {
                return true;
            }
        }
        return false;
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
