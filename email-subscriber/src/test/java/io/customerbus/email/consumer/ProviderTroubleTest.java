package io.customerbus.email.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.email.mail.SendFailure;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the readiness check says of the provider (SmtpHealthCheck reads it), and the delivery delay.
 */
class ProviderTroubleTest {

    private final EmailMetrics metrics = new EmailMetrics();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    ProviderTroubleTest() {
        metrics.registry = registry;
        metrics.register();
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

        metrics.sent(purchase(Instant.now()));
        assertThat(metrics.providerTrouble()).isNull();
    }

    @Test
    void anEmailsDelayCountsFromItsEventsTime() {
        metrics.sent(purchase(Instant.now().minus(Duration.ofMinutes(90))));

        Timer delivered = registry.get("email.event.to.accepted").timer();
        assertThat(delivered.count()).isOne();
        assertThat(delivered.max(TimeUnit.MINUTES)).isGreaterThanOrEqualTo(90);
    }

    private static CustomerEvent purchase(Instant at) {
        return new CustomerEventFactory("shop", Clock.fixed(at, ZoneOffset.UTC))
                .create(EventTypes.PURCHASE, "user-1", "p-1", Map.of());
    }
}
