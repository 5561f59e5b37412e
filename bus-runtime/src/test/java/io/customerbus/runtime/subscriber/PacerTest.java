package io.customerbus.runtime.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void owesThePauseThatKeepsTheRate() {
        Pacer pacer = new Pacer(1000, 0);
        // 500 events after 0.1 s at 1,000/s: due at 0.5 s, so 0.4 s to wait.
        assertThat(pacer.after(500, SECOND / 10)).isEqualTo(Duration.ofMillis(400));
        // 500 more at 1.2 s: due at 1 s, already past.
        assertThat(pacer.after(500, SECOND * 12 / 10)).isZero();
    }

    @Test
    void anIdleSpellIsNotSavedUpForABurst() {
        Pacer pacer = new Pacer(100, 0);
        pacer.after(10, SECOND);
        // A minute later, 6,000 events would be within the minute's allowance: they are not.
        assertThat(pacer.after(100, 60 * SECOND)).isEqualTo(Duration.ofSeconds(1));
        assertThat(pacer.after(100, 60 * SECOND)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aSubscriberSlowerThanTheLimitIsNotHeldBackLaterEither() {
        Pacer pacer = new Pacer(100, 0);
        assertThat(pacer.after(100, 0)).isEqualTo(Duration.ofSeconds(1));
        // The next 100 took 10 s to apply (the store was slow): no credit for a burst after.
        assertThat(pacer.after(100, 11 * SECOND)).isEqualTo(Duration.ofSeconds(1));
        assertThat(pacer.after(100, 11 * SECOND)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void zeroMeansNoLimit() {
        assertThat(new Pacer(0, 0).after(1_000_000, 0)).isZero();
    }
}
