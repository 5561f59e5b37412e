package io.customerbus.runtime.subscriber;

import java.time.Duration;

/**
 * Keeps a subscriber at or below a number of events per second, so that a replay of the whole
 * history does not flatten the store it writes to. No limit when the rate is 0. A pacer more than a
 * second behind its schedule — the subscriber was idle, or slower than the limit — starts a new
 * measuring window: quiet time is not saved up for a burst (before 2026-12-06 it was: after an hour
 * at a few events a second, a replay ran unpaced until it had used up the hour's allowance).
 */
final class Pacer {

    private static final long MAX_BEHIND_NANOS = 1_000_000_000L;

    private final double perSecond;
    private long windowStart;
    private long events;

    Pacer(double perSecond, long nowNanos) {
        this.perSecond = perSecond;
        this.windowStart = nowNanos;
    }

    /** The pause owed after {@code count} more events, at time {@code nowNanos}. */
    Duration after(int count, long nowNanos) {
        if (perSecond <= 0) {
            return Duration.ZERO;
        }
        if (dueAt(events) < nowNanos - MAX_BEHIND_NANOS) {
            windowStart = nowNanos;
            events = 0;
        }
        events += count;
        long due = dueAt(events);
        return due > nowNanos ? Duration.ofNanos(due - nowNanos) : Duration.ZERO;
    }

    /** When the window's first {@code n} events are due at the rate. */
    private long dueAt(long n) {
        return windowStart + (long) (n / perSecond * 1_000_000_000L);
    }
}
