package io.customerbus.analytics.store;

import io.customerbus.runtime.subscriber.StorePositions;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregates' own positions (the hash the apply script writes, partition → last offset applied)
 * for the toolkit to read again what Redis lost of what it had acknowledged: a Redis with {@code
 * appendfsync everysec} killed, a replica promoted or a restore can go back in time; the events of
 * that stretch are then read again instead of missing forever.
 */
@ApplicationScoped
public class AnalyticsPositions implements StorePositions {

    @Inject RedisDataSource redis;
    @Inject AnalyticsStore store;

    /** Each partition's position set to the offset given where that is further on: atomic. */
    private static final String FORWARD =
            """
            for i = 1, #ARGV, 2 do
              local applied = redis.call('HGET', KEYS[1], ARGV[i])
              if not applied or tonumber(ARGV[i + 1]) > tonumber(applied) then
                redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
              end
            end
            return 0
            """;

    @Override
    public void passed(Map<Integer, Long> lastOffsets) {
        List<String> args = new ArrayList<>();
        args.add(FORWARD);
        args.add("1");
        args.add(store.keys().positions());
        lastOffsets.forEach(
                (partition, offset) -> {
                    args.add(Integer.toString(partition));
                    args.add(Long.toString(offset));
                });
        redis.execute("EVAL", args.toArray(String[]::new));
    }

    @Override
    public Map<Integer, Long> nextOffsets() {
        Map<Integer, Long> next = new HashMap<>();
        redis.hash(String.class, String.class, Long.class)
                .hgetall(store.keys().positions())
                .forEach(
                        (partition, applied) -> next.put(Integer.parseInt(partition), applied + 1));
        return next;
    }
}
