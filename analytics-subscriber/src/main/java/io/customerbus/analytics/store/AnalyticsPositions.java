package io.customerbus.analytics.store;

import io.customerbus.runtime.subscriber.StorePositions;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
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
