package io.customerbus.email.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.email.mail.SendFailure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** What the readiness check says of the provider (SmtpHealthCheck reads it). */
class ProviderTroubleTest {

    private final EmailMetrics metrics = new EmailMetrics();

    ProviderTroubleTest() {
        metrics.registry = new SimpleMeterRegistry();
    }

    @Test
    void anEmailRefusedForGoodIsNoTroubleOfTheProvider() {
        metrics.providerFailed(new SendFailure(true, "SMTP 550 no such mailbox"));

        assertThat(metrics.providerTrouble()).isNull();
    }

    @Test
    void troubleTellsSinceWhenAndTheLatestReasonUntilAnEmailGoesThrough() {
        metrics.providerFailed(new SendFailure(false, "ConnectException: refused"));
        var first = metrics.providerTrouble();
        metrics.providerFailed(new SendFailure(false, "SMTP 421 try later"));

        assertThat(metrics.providerTrouble().since()).isEqualTo(first.since());
        assertThat(metrics.providerTrouble().reason()).isEqualTo("SMTP 421 try later");

        metrics.sent("purchase");
        assertThat(metrics.providerTrouble()).isNull();
    }
}
