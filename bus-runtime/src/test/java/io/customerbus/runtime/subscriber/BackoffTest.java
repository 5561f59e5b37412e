package io.customerbus.runtime.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration INITIAL = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(30);

    @Test
    void thePauseBeforeAnAttemptIsTheOneTheSequenceGivesThen() {
        Backoff sequence = new Backoff(INITIAL, MAX);
        for (int attempt = 1; attempt <= 12; attempt++) {
            assertThat(Backoff.before(attempt, INITIAL, MAX))
                    .as("attempt %d", attempt)
                    .isEqualTo(sequence.next());
        }
        assertThat(Backoff.before(3, INITIAL, MAX)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Backoff.before(1000, INITIAL, MAX)).isEqualTo(MAX);
    }
}
