package io.customerbus.gateway.intake;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * One token bucket per publisher, a token per event: a noisy publisher is slowed down without
 * taking the gateway from the others. Kept in this replica's memory — n replicas let a publisher
 * through at up to n times the rate, which the README says.
 */
@ApplicationScoped
public class PublisherRateLimits {

    @Inject GatewayConfig config;

    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * Takes {@code events} tokens, or refuses the whole request with the wait until they refill.
     */
    public void take(String publisher, int events) {
        ConsumptionProbe probe =
                buckets.computeIfAbsent(publisher, name -> newBucket())
                        .tryConsumeAndReturnRemaining(events);
        if (!probe.isConsumed()) {
            long seconds =
                    Math.max(
                            1,
                            TimeUnit.NANOSECONDS.toSeconds(
                                    probe.getNanosToWaitForRefill() + 999_999_999L));
            throw RejectedEvents.rateLimited(publisher, seconds);
        }
    }

    private Bucket newBucket() {
        long rate = config.rateLimit().perSecond();
        long capacity = Math.max(config.rateLimit().burst(), config.maxBatchEvents());
        return Bucket.builder()
                .addLimit(
                        Bandwidth.builder()
                                .capacity(capacity)
                                .refillGreedy(rate, Duration.ofSeconds(1))
                                .build())
                .build();
    }
}
