package io.customerbus.email.consumer;

import io.customerbus.email.mail.SendFailure;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** What the email subscriber did, as metrics, and how the provider has been doing lately. */
@ApplicationScoped
public class EmailMetrics {

    /** The provider's last failure, cleared by the next success. */
    public record ProviderTrouble(Instant since, String reason) {}

    @Inject MeterRegistry registry;

    private final AtomicReference<ProviderTrouble> trouble = new AtomicReference<>();

    void sent(String eventType) {
        registry.counter("email.sent", "type", eventType).increment();
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

    void providerFailed(SendFailure failure) {
        trouble.getAndUpdate(
                current ->
                        current != null
                                ? current
                                : new ProviderTrouble(Instant.now(), failure.reason()));
    }

    public ProviderTrouble providerTrouble() {
        return trouble.get();
    }
}
