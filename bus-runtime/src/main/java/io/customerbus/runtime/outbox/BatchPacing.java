package io.customerbus.runtime.outbox;

import java.time.Duration;

/**
 * How long the relay lets commits gather before its next Kafka transaction. A transaction costs the
 * broker the same requests and a marker on every partition it wrote to (each marker waking every
 * consumer) whether it carries one event or hundreds; at low rates each would carry a few. So the
 * relay waits, after a transaction, for the time that {@code events} commits take to arrive at the
 * recent rate, bounded by {@code min} and {@code max}. The wait counts from the end of the previous
 * transaction: an event after a quiet spell goes out at once, and at high rates, where batches fill
 * up while the previous transaction is in flight, the wait falls to {@code min}.
 *
 * <p>Times are {@link System#nanoTime()} readings, passed in so that the arithmetic is testable.
 */
final class BatchPacing {

    /** Weight of the newest rate sample: a change of rate is followed within a few batches. */
    private static final double SMOOTHING = 0.25;

    private final long minNanos;
    private final long maxNanos;
    private final int events;
    private long lastRead;
    private long lastPublished;
    // Written by the relay, read by the metrics' scrape.
    private volatile double eventsPerNano;

    BatchPacing(Duration min, Duration max, int events, long now) {
        if (max.compareTo(min) < 0 || events < 1) {
            throw new IllegalArgumentException(
                    "the relay's batch interval needs min <= max and at least one event, not "
                            + min
                            + ", "
                            + max
                            + ", "
                            + events);
        }
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.events = events;
        this.lastRead = now;
        this.lastPublished = now - maxNanos;
    }

    /** The interval between transactions at the recent rate, in nanoseconds. */
    long intervalNanos() {
        if (eventsPerNano <= 0) {
            return minNanos;
        }
        return (long) Math.max(minNanos, Math.min(maxNanos, events / eventsPerNano));
    }

    /** How long to wait at {@code now} before reading the next batch; zero or less: none. */
    long waitNanos(long now) {
        return intervalNanos() - (now - lastPublished);
    }

    /**
     * A batch of {@code rows} read at {@code now}: committed, roughly, since the previous read.
     * While a backlog is worked off each batch is full and the rate looks as high as the relay can
     * go, so the wait stays at {@code min}.
     */
    void read(int rows, long now) {
        long elapsed = Math.max(1, now - lastRead);
        lastRead = now;
        double sample = (double) rows / elapsed;
        eventsPerNano =
                eventsPerNano <= 0 ? sample : eventsPerNano + SMOOTHING * (sample - eventsPerNano);
    }

    /** The transaction of the last batch has ended (committed or not). */
    void published(long now) {
        lastPublished = now;
    }
}
