package io.customerbus.runtime.subscriber;

import java.time.Duration;

/**
 * Keeps a subscriber at or below a number of events per second, so that a replay of the whole
 * history does not flatten the store it writes to. No limit when the rate is 0. An idle spell
 * starts a new measuring window: quiet time is not saved up for a burst.
 */
final class Pacer {

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
        events += count;
        long due = windowStart + (long) (events / perSecond * 1_000_000_000L);
        return due > nowNanos ? Duration.ofNanos(due - nowNanos) : Duration.ZERO;
    }

    void idle(long nowNanos) {
        windowStart = nowNanos;
        events = 0;
    }
}
