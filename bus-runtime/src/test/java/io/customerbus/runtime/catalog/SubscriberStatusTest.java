package io.customerbus.runtime.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.runtime.catalog.SubscriberStatus.PartitionLag;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A subscriber's lag over its partitions, as the console and `bus subscribers` show it. */
class SubscriberStatusTest {

    @Test
    void theLagInSecondsIsTheOldestUnappliedEventsAge() {
        SubscriberStatus status = status(new PartitionLag(0, 10, 12, 2, 40, -1, -1), lag(1, 0, 0));

        assertThat(status.lag()).isEqualTo(2);
        assertThat(status.lagSeconds()).isEqualTo(40);
    }

    @Test
    void aPartitionBehindWhoseAgeIsUnknownMakesTheLagInSecondsUnknown() {
        SubscriberStatus status =
                status(new PartitionLag(0, 0, 50_000, 50_000, -1, -1, -1), lag(1, 0, 0));

        assertThat(status.lag()).isEqualTo(50_000);
        assertThat(status.lagSeconds()).as("not 0 s").isEqualTo(-1);
    }

    @Test
    void nothingCommittedYetIsUnknownToo() {
        assertThat(status().lagSeconds()).isEqualTo(-1);
    }

    private static PartitionLag lag(int partition, long lag, long seconds) {
        return new PartitionLag(partition, 100, 100 + lag, lag, seconds, -1, -1);
    }

    private static SubscriberStatus status(PartitionLag... partitions) {
        return new SubscriberStatus(null, 1, List.of(partitions), 0);
    }
}
