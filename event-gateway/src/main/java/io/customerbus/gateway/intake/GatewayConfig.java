package io.customerbus.gateway.intake;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gateway's limits (env vars BUS_GATEWAY_*). */
@ConfigMapping(prefix = "bus.gateway")
public interface GatewayConfig {

    /** Events in one batch request at most; a larger batch is refused whole (413). */
    @WithDefault("500")
    int maxBatchEvents();

    RateLimit rateLimit();

    /** Each publisher's own token bucket, per gateway replica. */
    interface RateLimit {

        /** Events per second a publisher may keep up. */
        @WithDefault("1000")
        long perSecond();

        /**
         * Events a publisher may send at once after a quiet spell; never less than a full batch,
         * which would otherwise never pass.
         */
        @WithDefault("1000")
        long burst();
    }
}
