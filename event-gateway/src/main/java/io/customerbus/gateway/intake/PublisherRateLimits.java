package io.customerbus.gateway.intake;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
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
     * Takes {@code events} tokens, or refuses the whole request. A refused request has been read
     * and checked already, so it is charged as other refusals are, into debt, and told to come back
     * once its events fit again: a publisher that keeps sending before then only deepens its debt,
     * and is soon refused unread.
     */
    public void take(String publisher, int events) {
        Bucket bucket = bucket(publisher);
        if (!bucket.tryConsume(events)) {
            bucket.consumeIgnoringRateLimits(events);
            throw limited(
                    publisher, bucket.estimateAbilityToConsume(events).getNanosToWaitForRefill());
        }
    }

    /**
     * Refuses a request of a publisher whose bucket is empty before its body is read: reading and
     * checking a batch is most of what a request costs the gateway, and a publisher sending nothing
     * but refused requests must be slowed down as one sending accepted ones is.
     */
    public void requireAnyLeft(String publisher) {
        var estimate = bucket(publisher).estimateAbilityToConsume(1);
        if (!estimate.canBeConsumed()) {
            throw limited(publisher, estimate.getNanosToWaitForRefill());
        }
    }

    /**
     * Charges a refused request's events, into debt if need be: refusals cost the gateway too, and
     * a publisher in debt gets 429s, unread, until it is repaid.
     */
    public void charge(String publisher, int events) {
        bucket(publisher).consumeIgnoringRateLimits(Math.max(1, events));
    }

    private Bucket bucket(String publisher) {
        return buckets.computeIfAbsent(publisher, name -> newBucket());
    }

    private static RejectedEvents limited(String publisher, long nanosToWait) {
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosToWait + 999_999_999L));
        return RejectedEvents.rateLimited(publisher, seconds);
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
