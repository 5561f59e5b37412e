package io.customerbus.analytics.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * UTC hour and day buckets and their names in keys ("h:2026-11-26T10", "d:2026-11-26"). Buckets are
 * by the event's own time, not by when it was consumed, so a replay fills the same buckets.
 */
public final class Buckets {

    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private Buckets() {}

    public static Instant hourStart(Instant at) {
        return at.truncatedTo(ChronoUnit.HOURS);
    }

    public static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    public static String hourId(Instant hourStart) {
        return "h:" + HOUR.format(hourStart);
    }

    public static String dayId(LocalDate day) {
        return "d:" + day;
    }

    public static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
