package io.customerbus.runtime.outbox;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration;
import io.agroal.api.security.SimplePassword;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.Driver;

/**
 * The relay's and the listener's connections: opened with the datasource's settings, outside its
 * pool. Each holds session state no request may inherit — the slots' advisory locks, {@code
 * synchronous_commit = off}, a LISTEN — and a pooled connection given back after an error kept it
 * all: a request served on it committed without waiting for the WAL flush, and the slots stayed
 * locked by an idle connection, out of every relay's reach. Closing one of these ends its session.
 */
final class OutboxConnections {

    /**
     * A connection whose peer is gone without a reset (a node lost, a NAT's state dropped) answers
     * nothing, ever: without a timeout the relay would wait on it for good, publishing nothing
     * while its readiness said it publishes. Every relay statement is short (the longest, its
     * vacuum, follows at most 10 s of deletes), so one that takes 30 s is a dead link.
     */
    private static final Map<String, String> DEAD_LINK_TIMEOUTS =
            Map.of("connectTimeout", "10", "loginTimeout", "10", "socketTimeout", "30");

    /**
     * The other end: the server gives a silent session up after ~25 s, which ends it and releases
     * its slot locks for the relay that reconnects (or another replica) — else they stay with a
     * session nobody can reach until the system's TCP keepalive (two hours by default).
     */
    private static final String SERVER_KEEPALIVES =
            "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5;"
                    + " SET tcp_keepalives_count = 3";

    private OutboxConnections() {}

    /** A connection of its own, named in {@code pg_stat_activity} as {@code applicationName}. */
    static Connection open(DataSource dataSource, String applicationName) throws SQLException {
        if (!(dataSource instanceof AgroalDataSource agroal)) {
            throw new IllegalStateException(
                    "the outbox needs Quarkus's datasource, not " + dataSource);
        }
        AgroalConnectionFactoryConfiguration factory =
                agroal.getConfiguration()
                        .connectionPoolConfiguration()
                        .connectionFactoryConfiguration();
        Properties properties = new Properties();
        properties.putAll(factory.jdbcProperties());
        if (factory.principal() != null) {
            properties.setProperty("user", factory.principal().getName());
        }
        for (Object credential : factory.credentials()) {
            if (credential instanceof SimplePassword password) {
                properties.setProperty("password", password.getWord());
            }
        }
        properties.setProperty("ApplicationName", applicationName);
        DEAD_LINK_TIMEOUTS.forEach(properties::putIfAbsent);
        Connection connection = new Driver().connect(factory.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: " + factory.jdbcUrl());
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(SERVER_KEEPALIVES);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
