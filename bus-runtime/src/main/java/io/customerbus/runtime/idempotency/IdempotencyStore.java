package io.customerbus.runtime.idempotency;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Remembers, in Redis, which events a subscriber has acted on, so that redeliveries, restarts,
 * replicas and replays act at most once per event. An action is claimed before it starts (a lease
 * that expires if the claimant dies) and marked done after it succeeded (both for a batch at a
 * time, one round trip each); a claim that fails tells whether the event is done or still in
 * another replica's hands.
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

    /**
     * Claims many events in one round trip (a pipeline of SET NX); an event whose key is taken is
     * then looked at on its own. The claims are in the order of the ids.
     */
    public List<Claim> claimAll(List<UUID> eventIds, Duration lease) {
        List<Response> answers = setAll(eventIds, owner, lease, "NX");
        List<Claim> claims = new ArrayList<>(eventIds.size());
        for (int i = 0; i < eventIds.size(); i++) {
            claims.add(answers.get(i) != null ? Claim.CLAIMED : taken(eventIds.get(i), lease));
        }
        return claims;
    }

    /**
     * The actions succeeded: remembered for {@code keep} (longer than any replay could reach), in
     * one round trip.
     */
    public void completeAll(List<UUID> eventIds, Duration keep) {
        setAll(eventIds, DONE_VALUE, keep);
    }

    /** Whose the key of an event is that a SET NX found taken: done, or another's lease. */
    private Claim taken(UUID eventId, Duration lease) {
        Response current = redis.execute("GET", key(eventId));
        if (current == null) {
            // The other lease expired in between: try once more.
            return setAll(List.of(eventId), owner, lease, "NX").get(0) != null
                    ? Claim.CLAIMED
                    : Claim.IN_PROGRESS;
        }
        return DONE_VALUE.equals(current.toString()) ? Claim.DONE : Claim.IN_PROGRESS;
    }

    /** SET key value PX ttl [options] for every event, pipelined; the answers in order. */
    private List<Response> setAll(
            List<UUID> eventIds, String value, Duration ttl, String... options) {
        if (eventIds.isEmpty()) {
            return List.of();
        }
        List<Request> sets = new ArrayList<>(eventIds.size());
        for (UUID eventId : eventIds) {
            Request set = Request.cmd(Command.SET).arg(key(eventId)).arg(value);
            for (String option : options) {
                set.arg(option);
            }
            sets.add(set.arg("PX").arg(ttl.toMillis()));
        }
        return redis.getReactive().getRedis().batchAndAwait(sets);
    }

    /** The action failed and will be tried again: give up the lease at once. */
    public void release(UUID eventId) {
        redis.execute("EVAL", RELEASE, "1", key(eventId), owner);
    }

    private String key(UUID eventId) {
        return prefix + ":" + eventId;
    }
}
