package io.customerbus.runtime.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchPacingTest {

    private static final long MS = 1_000_000L;
    private static final Duration MIN = Duration.ofMillis(5);
    private static final Duration MAX = Duration.ofMillis(20);

    @Test
    void theFirstEventGoesOutAtOnce() {
        BatchPacing pacing = new BatchPacing(MIN, MAX, 5, 0);
        assertThat(pacing.waitNanos(0)).isLessThanOrEqualTo(0);
    }

    @Test
    void atALowRateTheRelayWaitsForFiveCommitsUpToTheMaximum() {
        // 250 commits a second: 5 arrive in 20 ms.
        BatchPacing pacing = steady(250, Duration.ofMillis(40));
        assertThat(interval(pacing)).isEqualTo(MAX);
        // 100 a second: 50 ms for 5, held to the maximum.
        assertThat(interval(steady(100, Duration.ofMillis(100)))).isEqualTo(MAX);
    }

    @Test
    void atAHigherRateTheIntervalShrinksToTheMinimum() {
        // 500 commits a second: 5 arrive in 10 ms.
        assertThat(interval(steady(500, Duration.ofMillis(30))))
                .isCloseTo(Duration.ofMillis(10), Duration.ofMillis(1));
        assertThat(interval(steady(4_000, Duration.ofMillis(10)))).isEqualTo(MIN);
    }

    @Test
    void theWaitCountsFromTheEndOfThePreviousTransaction() {
        BatchPacing pacing = steady(250, Duration.ofMillis(40));
        long end = 10_000 * MS;
        pacing.published(end);
        assertThat(pacing.waitNanos(end + 5 * MS)).isEqualTo(15 * MS);
        // After a quiet spell an event is not delayed, whatever the rate was.
        assertThat(pacing.waitNanos(end + 1_000 * MS)).isNegative();
    }

    @Test
    void aRiseInTheRateIsFollowedWithinAFewBatches() {
        BatchPacing pacing = steady(100, Duration.ofMillis(100));
        long now = 100_000 * MS;
        for (int batch = 0; batch < 8; batch++) {
            now += 10 * MS;
            pacing.read(20, now); // 2,000 a second
        }
        assertThat(interval(pacing)).isEqualTo(MIN);
    }

    @Test
    void aFixedIntervalWhenMinimumAndMaximumAreEqual() {
        BatchPacing pacing = new BatchPacing(MIN, MIN, 5, 0);
        pacing.read(1, 1_000 * MS);
        assertThat(interval(pacing)).isEqualTo(MIN);
    }

    @Test
    void rejectsAMaximumBelowTheMinimum() {
        assertThatThrownBy(() -> new BatchPacing(MAX, MIN, 5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min <= max");
    }

    private static Duration interval(BatchPacing pacing) {
        return Duration.ofNanos(pacing.intervalNanos());
    }

    /** Batches of a relay that has read {@code rate} commits a second every {@code cycle}. */
    private static BatchPacing steady(int rate, Duration cycle) {
        BatchPacing pacing = new BatchPacing(MIN, MAX, 5, 0);
        int rows = (int) (rate * cycle.toMillis() / 1000);
        long now = 0;
        for (int batch = 0; batch < 50; batch++) {
            now += cycle.toNanos();
            pacing.read(rows, now);
            pacing.published(now + MS);
        }
        return pacing;
    }
}
