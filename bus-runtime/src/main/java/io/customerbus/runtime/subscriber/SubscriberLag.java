package io.customerbus.runtime.subscriber;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * How far behind the bus one subscriber is: records on its partitions not applied yet (the
 * connector fetches ahead, so the consumer's position is not what was applied), and the age of the
 * newest event of the batch in hand. Refreshed on the polling thread after each commit, from what
 * the client already knows (no request to the broker).
 */
final class SubscriberLag {

    private final Map<TopicPartition, Long> appliedNext = new ConcurrentHashMap<>();
    private volatile double records = Double.NaN;
    private volatile long newestRecordTime;
    private volatile boolean stopped;

    /**
     * New partitions, each with where applying starts: its committed offset, or where a group that
     * never committed there begins. Counted from there until the first commit — not from the
     * consumer's position, which the connector's fetching moves ahead of what is applied (a member
     * that cannot apply its first batch would otherwise show no lag at all).
     */
    void assigned(Map<TopicPartition, Long> starts) {
        appliedNext.putAll(starts);
        stopped = false;
        records = Double.NaN;
    }

    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(appliedNext::remove);
        records = Double.NaN;
    }

    void stopped() {
        stopped = true;
        records = Double.NaN;
    }

    void committed(TopicPartition partition, long next) {
        appliedNext.put(partition, next);
    }

    /** The newest record time of the batch being applied. */
    void batch(long newestRecordTime) {
        this.newestRecordTime = newestRecordTime;
    }

    /** Runs on the polling thread: the only one allowed to ask the client. */
    void refresh(Consumer<?, ?> client) {
        long lag = 0;
        for (TopicPartition partition : client.assignment()) {
            var behindEnd = client.currentLag(partition);
            if (behindEnd.isEmpty()) {
                records = Double.NaN;
                return;
            }
            long position = client.position(partition);
            long applied = appliedNext.getOrDefault(partition, position);
            lag += behindEnd.getAsLong() + Math.max(0, position - applied);
        }
        records = lag;
        if (stopped) {
            // A refresh that was under way when the subscriber stopped: its lag is unknown now.
            records = Double.NaN;
        }
        if (lag == 0) {
            newestRecordTime = 0;
        }
    }

    /** 0 means everything published so far (as of the last refresh) is applied; NaN: unknown. */
    double records() {
        return records;
    }

    /** Seconds since the newest event of the batch in hand occurred; 0 once caught up. */
    double seconds() {
        long newest = newestRecordTime;
        return newest == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - newest) / 1000.0);
    }
}
