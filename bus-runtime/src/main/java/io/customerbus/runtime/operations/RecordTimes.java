package io.customerbus.runtime.operations;

import java.time.Instant;

/**
 * The times an operator may ask about records by: from 1970 on (Kafka keeps a record's time as
 * milliseconds since the epoch and looks up no earlier one) up to year 9999 (beyond it a time has
 * no ISO-8601 form of four-digit years, and far beyond it no millisecond count).
 */
final class RecordTimes {

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private RecordTimes() {}

    /** The time, if in range; else a TimeOutOfRangeException naming what it was for. */
    static Instant require(Instant time, String usedAs) {
        if (time.isBefore(Instant.EPOCH) || time.isAfter(LATEST)) {
            throw new TimeOutOfRangeException(usedAs + " a time from 1970 to 9999, not " + time);
        }
        return time;
    }
}
