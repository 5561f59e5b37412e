package io.customerbus.runtime.outbox;

import io.customerbus.runtime.http.DatabaseException;

/**
 * Events could not be written to the outbox: the transaction they belong to fails with them. Its
 * cause is the driver's SQLException, which tells whether the database was unreachable (see the
 * HTTP mapper of database failures).
 */
public class OutboxWriteException extends DatabaseException {

    OutboxWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
