package io.customerbus.console.bus;

import io.customerbus.runtime.catalog.SubscriberStatus;
import java.util.List;
import java.util.Map;

/**
 * The whole bus in one answer, so that a page refresh is one request however many subscribers there
 * are.
 *
 * @param bus the topic and its traffic
 * @param subscribers every described subscriber with its lag and dead letters
 * @param refresh what this answer cost, in milliseconds
 */
public record BusView(Bus bus, List<SubscriberStatus> subscribers, Refresh refresh) {

    /**
     * @param records records on the bus (end minus start offsets over all partitions): its events
     *     and the transaction markers the publishers' relays write, one per partition and
     *     transaction
     * @param retentionMs -1: kept forever
     * @param eventsPerSecond by type, over the last minute
     * @param series events per second by type in each of the last {@code buckets} buckets of {@code
     *     bucketSeconds}, oldest first
     */
    public record Bus(
            String topic,
            int partitions,
            long retentionMs,
            long records,
            Map<String, Double> eventsPerSecond,
            int bucketSeconds,
            Map<String, double[]> series) {}

    public record Refresh(long millis) {}
}
