package io.customerbus.runtime.subscriber;

import java.util.Map;

/**
 * Where a subscriber's own store stands on each partition of the bus, for a store that is not
 * Kafka's committed offsets: Redis, a search index, a file. The toolkit commits to Kafka after the
 * store applied a batch, but a store can still lose writes it acknowledged (Redis with {@code
 * appendfsync everysec} killed while its disk was slow, a replica promoted after a failover, a
 * restore from a backup): those events would be missing from it forever. For a subscriber that
 * provides this bean, the toolkit ({@link StoreRecovery}) reads a partition it is handed from the
 * store's position when that is behind Kafka's commit — Kafka's "storing offsets outside Kafka" —
 * and, after the store failed under a running subscriber, reads what it lost again before going on;
 * so a store that went back in time is refilled from the bus. Its handler must tolerate events it
 * applied already (it does, if it acts once per event id or position).
 *
 * <p>Not needed when the store commits durably before Kafka does and cannot go back (the CRM:
 * PostgreSQL, synchronous commit).
 */
public interface StorePositions {

    /**
     * The next offset the store needs, by partition of the bus (the offset after the last one it
     * applied); a partition the store holds nothing of is absent: it is read from its beginning.
     */
    Map<Integer, Long> nextOffsets();

    /**
     * Moves the store's position, only forward, past records the subscriber finished with without
     * handing them to the store — dead-lettered, of a type it does not want, refused by its handler
     * — by partition, the offset of the last of them. Else a partition whose latest records are
     * such would stand behind Kafka's commit for good: read again from the store's position at
     * every assignment, its letters written again each time.
     */
    void passed(Map<Integer, Long> lastOffsets);
}
