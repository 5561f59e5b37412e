package io.customerbus.runtime.subscriber;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tracks, per assigned partition, the offset before which records are history. Read from the
 * committed offset's metadata on assignment; for a partition the group has never committed, the end
 * offset at that moment (everything already on the bus is history to a new group). Read on the
 * polling thread, asked from the subscriber's worker: hence the concurrent map.
 */
final class ReplayBoundaries {

    private final Map<TopicPartition, ReplayBoundary> boundaries = new ConcurrentHashMap<>();

    /**
     * Reads the boundaries of newly assigned partitions from their committed offsets; returns the
     * partitions the group has never committed, with their end offset now (where history ends for
     * them).
     */
    Map<TopicPartition, Long> assigned(
            Consumer<?, ?> consumer,
            Collection<TopicPartition> partitions,
            Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> uncommitted = new java.util.HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                uncommitted.put(partition, ends.getOrDefault(partition, 0L));
            }
            Optional<ReplayBoundary> boundary =
                    offset == null
                            ? Optional.of(new ReplayBoundary(ends.getOrDefault(partition, 0L)))
                            : ReplayBoundary.parse(offset.metadata());
            boundary.ifPresentOrElse(
                    b -> boundaries.put(partition, b), () -> boundaries.remove(partition));
        }
        return uncommitted;
    }

    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(boundaries::remove);
    }

    boolean isReplay(TopicPartition partition, long offset) {
        ReplayBoundary boundary = boundaries.get(partition);
        return boundary != null && boundary.covers(offset);
    }

    /** Keeps the boundary in the committed metadata until consumption has passed it. */
    String metadataFor(TopicPartition partition, long nextOffset) {
        ReplayBoundary boundary = boundaries.get(partition);
        if (boundary == null || nextOffset >= boundary.until()) {
            boundaries.remove(partition);
            return "";
        }
        return boundary.metadata();
    }
}
