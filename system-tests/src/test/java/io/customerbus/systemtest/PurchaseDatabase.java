package io.customerbus.systemtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Fresh databases per test (the purchase database and others) and what a test reads back from a
 * publisher's database — on the machine's PostgreSQL, or on a server of the test's own
 * (LocalPostgres) given by its port.
 */
final class PurchaseDatabase {

    static final String NAME = "purchases_systest";

    private static final String HOST = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
    private static final int PORT =
            Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));

    private PurchaseDatabase() {}

    /** The machine's PostgreSQL server's port. */
    static int port() {
        return PORT;
    }

    static void recreate() throws SQLException {
        recreate(NAME);
    }

    /** An empty database of that name (dropped first if a previous run left it). */
    static void recreate(String name) throws SQLException {
        recreate(HOST, PORT, name);
    }

    /** The same on a server of the test's own, on loopback. */
    static void recreate(int port, String name) throws SQLException {
        recreate("127.0.0.1", port, name);
    }

    /** Events not acknowledged by the broker yet: the relay deletes the others. */
    static long pendingOutboxRows() throws SQLException {
        return pendingOutboxRows(NAME);
    }

    /** The same, in another publisher's database (the event gateway's). */
    static long pendingOutboxRows(String database) throws SQLException {
        return pendingOutboxRows(HOST, PORT, database);
    }

    /** The same, on a server of the test's own. */
    static long pendingOutboxRows(int port, String database) throws SQLException {
        return pendingOutboxRows("127.0.0.1", port, database);
    }

    /** The Kafka transactional ids of the relays that last took the outbox's slots. */
    static Set<String> slotRelays() throws SQLException {
        Set<String> relays = new HashSet<>();
        try (Connection connection = connect(HOST, PORT, NAME);
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT transactional_id FROM customer_event_outbox_relay")) {
            while (rows.next()) {
                relays.add(rows.getString(1));
            }
        }
        return relays;
    }

    /** The event id of every purchase written, on a server of the test's own. */
    static Set<UUID> purchaseEventIds(int port, String database) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (Connection connection = connect("127.0.0.1", port, database);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT event_id FROM purchase")) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private static void recreate(String host, int port, String name) throws SQLException {
        try (Connection connection = connect(host, port, "postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
    }

    private static long pendingOutboxRows(String host, int port, String database)
            throws SQLException {
        try (Connection connection = connect(host, port, database);
                Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery("SELECT count(*) FROM customer_event_outbox")) {
            result.next();
            return result.getLong(1);
        }
    }

    private static Connection connect(String host, int port, String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + host + ":" + port + "/" + database,
                System.getenv().getOrDefault("PGUSER", "postgres"),
                System.getenv().getOrDefault("PGPASSWORD", ""));
    }
}
