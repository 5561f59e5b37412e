package io.customerbus.email.consumer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the email subscriber reads the bus and how hard it tries (all overridable by env). */
@ConfigMapping(prefix = "email")
public interface EmailSettings {

    String groupId();

    @WithDefault("latest")
    String autoOffsetReset();

    /** Older events are history, not news: skipped and counted, never sent. */
    @WithDefault("PT24H")
    Duration maxAge();

    @WithDefault("PT20S")
    Duration sendTimeout();

    /**
     * Emails sent side by side, each over its own pooled SMTP connection (the mailer's pool is
     * sized to match): a provider's round trips, not this service, set the pace of one at a time.
     */
    @WithDefault("8")
    int concurrentSends();

    Retry retry();

    Idempotency idempotency();

    interface Retry {
        /** Attempts in all, the first included, before a record goes to the DLQ. */
        @WithDefault("8")
        int maxAttempts();

        @WithDefault("PT5S")
        Duration initialBackoff();

        @WithDefault("PT2M")
        Duration maxBackoff();
    }

    interface Idempotency {
        /** How long a replica may take to send before another may try. */
        @WithDefault("PT2M")
        Duration lease();

        /** How long a sent email is remembered: longer than max-age, so no replay can resend. */
        @WithDefault("P7D")
        Duration keep();
    }
}
