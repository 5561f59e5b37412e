package io.customerbus.gateway.intake;

import io.smallrye.config.ConfigMapping;

/** The gateway's limits; their env vars and defaults are in application.properties. */
@ConfigMapping(prefix = "bus.gateway")
public interface GatewayConfig {

    /** Events in one batch request at most; a larger batch is refused whole (413). */
    int maxBatchEvents();

    /**
     * How far ahead of the gateway's clock an event's occurredAt may be. The broker refuses a
     * record whose time is more than its message.timestamp.after.max.ms (an hour by default) ahead
     * of its own clock, so an event accepted from further ahead could never be delivered.
     */
    java.time.Duration maxTimeAhead();

    RateLimit rateLimit();

    Idempotency idempotency();

    /** The ledger of accepted ids. */
    interface Idempotency {

        /** How long an accepted id is remembered (and a retry answered from the ledger). */
        java.time.Duration retention();

        /** How often older ids are forgotten (read by {@link LedgerExpiry}'s schedule). */
        String forgetEvery();
    }

    /** Each publisher's own token bucket, per gateway replica. */
    interface RateLimit {

        /** Events per second a publisher may keep up. */
        long perSecond();

        /**
         * Events a publisher may send at once after a quiet spell; never less than a full batch,
         * which would otherwise never pass.
         */
        long burst();
    }
}
