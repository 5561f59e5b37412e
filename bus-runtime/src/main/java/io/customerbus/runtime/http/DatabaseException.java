package io.customerbus.runtime.http;

/**
 * A statement of the request's transaction failed; its cause is the driver's SQLException. {@link
 * DatabaseProblemMapper} answers 503 with Retry-After when that says the database could not be
 * reached, 500 otherwise.
 */
public class DatabaseException extends RuntimeException {

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
