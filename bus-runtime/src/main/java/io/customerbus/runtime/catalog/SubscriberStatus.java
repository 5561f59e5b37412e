package io.customerbus.runtime.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A described subscriber as the broker sees it now.
 *
 * @param members consumers in its group now (0: not running)
 * @param partitions its position on each bus partition it has committed on; empty before it
 *     committed anything
 * @param deadLetters records waiting in its DLQ, or -1 when the topic does not exist
 */
public record SubscriberStatus(
        SubscriberDescription description,
        int members,
        List<PartitionLag> partitions,
        long deadLetters) {

    /**
     * One bus partition of the subscriber: how far behind it is, in records and in seconds (the age
     * of the oldest event it has not applied; -1 when unknown), and when it is replaying history
     * where the replay began (-1 when unknown) and its boundary (-1 when not replaying).
     */
    public record PartitionLag(
            int partition,
            long committed,
            long end,
            long lag,
            long lagSeconds,
            long replayFrom,
            long replayUntil) {}

    /** Records it has not applied yet, over all partitions; -1 before it committed anything. */
    @JsonProperty
    public long lag() {
        return partitions.isEmpty() ? -1 : partitions.stream().mapToLong(PartitionLag::lag).sum();
    }

    /**
     * The age of the oldest event it has not applied, over all partitions; -1 (unknown) when a
     * partition that is behind could not tell its age — its oldest event may be the oldest of all,
     * so the others' maximum would understate it (a lag of thousands shown as 0 s).
     */
    @JsonProperty
    public long lagSeconds() {
        boolean unknown =
                partitions.isEmpty()
                        || partitions.stream().anyMatch(p -> p.lag() > 0 && p.lagSeconds() < 0);
        return unknown
                ? -1
                : partitions.stream().mapToLong(PartitionLag::lagSeconds).max().orElse(0);
    }
}
