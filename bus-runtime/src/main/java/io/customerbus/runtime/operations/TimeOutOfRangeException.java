package io.customerbus.runtime.operations;

/**
 * A time no record can carry was asked about (RecordTimes): the caller's mistake, a usage error.
 */
public class TimeOutOfRangeException extends IllegalArgumentException {

    TimeOutOfRangeException(String message) {
        super(message);
    }
}
