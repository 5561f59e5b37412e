package io.customerbus.events.idempotency;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.UUID;

/**
 * Remembers, in Redis, which events a subscriber has acted on, so that redeliveries, restarts,
 * replicas and replays act at most once per event. An action is claimed before it starts (a lease
 * that expires if the claimant dies) and marked done after it succeeded; a claim that fails tells
 * whether the event is done or still in another replica's hands.
 *
 * <p>Keys are {@code <prefix>:<eventId>}; the prefix names the subscriber and the action.
 */
public final class IdempotencyStore {

    /** What a claim found. */
    public enum Claim {
        /** This caller now holds the lease and must act, then call complete or release. */
        CLAIMED,
        /** Someone acted on this event already: do nothing. */
        DONE,
        /** Another replica holds the lease right now: try again later. */
        IN_PROGRESS
    }

    private static final String DONE_VALUE = "done";
    // Deletes the key only while it still holds this claimant's lease.
    private static final String RELEASE =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end"
                    + " return 0";

    private final RedisDataSource redis;
    private final String prefix;
    private final String owner = "lease:" + UUID.randomUUID();

    public IdempotencyStore(RedisDataSource redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    public Claim claim(UUID eventId, Duration lease) {
        Response set =
                redis.execute(
                        "SET", key(eventId), owner, "NX", "PX", Long.toString(lease.toMillis()));
        if (set != null) {
            return Claim.CLAIMED;
        }
        Response current = redis.execute("GET", key(eventId));
        if (current == null) {
            // The other lease expired between the two commands: try once more.
            return redis.execute(
                                    "SET",
                                    key(eventId),
                                    owner,
                                    "NX",
                                    "PX",
                                    Long.toString(lease.toMillis()))
                            != null
                    ? Claim.CLAIMED
                    : Claim.IN_PROGRESS;
        }
        return DONE_VALUE.equals(current.toString()) ? Claim.DONE : Claim.IN_PROGRESS;
    }

    /** The action succeeded: remembered for {@code keep} (longer than any replay could reach). */
    public void complete(UUID eventId, Duration keep) {
        redis.execute("SET", key(eventId), DONE_VALUE, "PX", Long.toString(keep.toMillis()));
    }

    /** The action failed and will be tried again: give up the lease at once. */
    public void release(UUID eventId) {
        redis.execute("EVAL", RELEASE, "1", key(eventId), owner);
    }

    private String key(UUID eventId) {
        return prefix + ":" + eventId;
    }
}
