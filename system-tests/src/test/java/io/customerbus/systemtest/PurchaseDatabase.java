package io.customerbus.systemtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Fresh databases per test (the purchase database and others), on the machine's PostgreSQL. */
final class PurchaseDatabase {

    static final String NAME = "purchases_systest";

    private PurchaseDatabase() {}

    static void recreate() throws SQLException {
        recreate(NAME);
    }

    /** An empty database of that name (dropped first if a previous run left it). */
    static void recreate(String name) throws SQLException {
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
    }

    /** Events not acknowledged by the broker yet: the relay deletes the others. */
    static long pendingOutboxRows() throws SQLException {
        return pendingOutboxRows(NAME);
    }

    /** The same, in another publisher's database (the event gateway's). */
    static long pendingOutboxRows(String database) throws SQLException {
        return count(database, "SELECT count(*) FROM customer_event_outbox");
    }

    private static long count(String database, String sql) throws SQLException {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static Connection connect(String database) throws SQLException {
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("PGPORT", "5432");
        String user = System.getenv().getOrDefault("PGUSER", "postgres");
        return DriverManager.getConnection(
                "jdbc:postgresql://" + host + ":" + port + "/" + database,
                user,
                System.getenv().getOrDefault("PGPASSWORD", ""));
    }
}
