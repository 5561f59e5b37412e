package io.customerbus.runtime.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void aShortReasonIsKeptWhole() {
        assertThat(DeadLetters.bounded("data.email: not an address"))
                .isEqualTo("data.email: not an address");
    }

    @Test
    void aReasonOfThousandsOfViolationsIsCutAndSaysHowMuchWasLeftOut() {
        String reason = "data.note: NUL is not carried; ".repeat(10_000);

        String bounded = DeadLetters.bounded(reason);

        assertThat(bounded)
                .startsWith("data.note: NUL is not carried; ")
                .endsWith(
                        "… ("
                                + (reason.length() - DeadLetters.MAX_REASON_CHARS)
                                + " more characters)");
        assertThat(bounded.length()).isLessThan(DeadLetters.MAX_REASON_CHARS + 40);
    }
}
