package io.customerbus.runtime.outbox;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration;
import io.agroal.api.security.SimplePassword;
import java.sql.Connection;
import java.sql.SQLException;
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
        Connection connection = new Driver().connect(factory.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: " + factory.jdbcUrl());
        }
        return connection;
    }
}
