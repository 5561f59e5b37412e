package io.customerbus.email.consumer;

import io.customerbus.email.mail.SendFailure;
import io.customerbus.events.CustomerEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** What the email subscriber did, as metrics, and how the provider has been doing lately. */
@ApplicationScoped
public class EmailMetrics {

    /** Since when the provider fails, and its latest failure; cleared by the next success. */
    public record ProviderTrouble(Instant since, String reason) {}

    @Inject MeterRegistry registry;

    private final AtomicReference<ProviderTrouble> trouble = new AtomicReference<>();
    private Timer delivered;

    @PostConstruct
    void register() {
        delivered =
                Timer.builder("email.event.to.accepted")
                        .description(
                                "from an event's time to the provider's acceptance of its email,"
                                        + " retries and re-drives included: what the customer"
                                        + " waited")
                        .publishPercentileHistogram()
                        // Its point is the long waits (an outage, a re-drive): buckets up to a day,
                        // not the default 30 s, past which every one would fall in +Inf.
                        .maximumExpectedValue(Duration.ofDays(1))
                        .register(registry);
    }

    /**
     * The provider accepted an event's email: counted by type, and its delay from the event's time
     * (its record time on the bus) — through every retry and re-drive, which the toolkit's
     * event-to-applied cannot tell: to it an email handed on to the retry topic is handled, and one
     * read back from there counts from its retry copy.
     */
    void sent(CustomerEvent event) {
        // The delay first: whoever sees the count sees the delay that goes with it.
        delivered.record(
                Math.max(0, Duration.between(event.occurredAt(), Instant.now()).toMillis()),
                TimeUnit.MILLISECONDS);
        registry.counter("email.sent", "type", event.eventType()).increment();
        trouble.set(null);
    }

    void skipped(String reason) {
        registry.counter("email.skipped", "reason", reason).increment();
    }

    void retried() {
        registry.counter("email.retried").increment();
    }

    void deadLettered() {
        registry.counter("email.dead.lettered").increment();
    }

    /**
     * A provider that refuses one email for good (an unknown mailbox, a 5xx to it) is answering:
     * only failures to be tried again (no connection, a timeout, a 4xx) say it is in trouble — else
     * one bad address would show it degraded until the next email went through, hours on a quiet
     * night. The reason is the latest, so that a new outage is not told with an old one's.
     */
    void providerFailed(SendFailure failure) {
        if (failure.permanent()) {
            return;
        }
        trouble.getAndUpdate(
                current ->
                        new ProviderTrouble(
                                current != null ? current.since() : Instant.now(),
                                failure.reason()));
    }

    public ProviderTrouble providerTrouble() {
        return trouble.get();
    }
}
