package io.customerbus.runtime.subscriber;

import java.time.Duration;

/** Exponential backoff for retry loops: doubles each time, capped, reset after a success. */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration current;

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.current = initial;
    }

    /** The pause to take now; the next one is twice as long, up to the cap. */
    public Duration next() {
        Duration pause = current;
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(max) > 0 ? max : doubled;
        return pause;
    }

    public void reset() {
        current = initial;
    }

    /** The pause before attempt number {@code attempt} (1-based): what the n-th next() gives. */
    public static Duration before(int attempt, Duration initial, Duration max) {
        Duration pause = initial.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 30));
        return pause.compareTo(max) > 0 ? max : pause;
    }
}
