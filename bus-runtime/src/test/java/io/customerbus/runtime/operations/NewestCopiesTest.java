package io.customerbus.runtime.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.events.kafka.BusHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class NewestCopiesTest {

    private final NewestCopies newest = new NewestCopies();

    @Test
    void theCopyReDrivenMostOftenIsSentEvenWhenACopyReDrivenLessFollowsIt() {
        String event = UUID.randomUUID().toString();
        newest.offer(letter(0, 10, 1_000, event, 2));
        newest.offer(letter(0, 11, 2_000, event, 1));
        newest.offer(letter(0, 12, 3_000, event, 2));

        assertThat(newest.toSend()).containsOnlyKeys(0);
        assertThat(newest.toSend().get(0)).containsExactly(12);
        assertThat(newest.olderCopies()).isEqualTo(2);
        assertThat(newest.loops()).isEmpty();
    }

    @Test
    void aLoopOnAnotherPartitionStopsTheEventsOlderCopiesToo() {
        // The DLQ's partitions were added: the event's latest copy went to a new partition.
        String event = UUID.randomUUID().toString();
        newest.offer(letter(0, 5, 1_000, event, 2));
        newest.offer(letter(3, 0, 2_000, event, DeadLetterQueue.MAX_REDRIVES));

        assertThat(newest.toSend()).isEmpty();
        assertThat(newest.loops()).containsExactly(new DeadLetterQueue.Position(3, 0));
        assertThat(newest.olderCopies()).as("none left out of a re-drive: none is sent").isZero();
    }

    @Test
    void copiesOnTwoPartitionsReDrivenAsOftenAreOrderedByTime() {
        String event = UUID.randomUUID().toString();
        newest.offer(letter(1, 7, 5_000, event, 0));
        newest.offer(letter(2, 3, 4_000, event, 0));

        assertThat(newest.toSend()).containsOnlyKeys(1);
        assertThat(newest.toSend().get(1)).containsExactly(7);
    }

    @Test
    void lettersWithoutAnEventIdStandForThemselvesAndIdsNeedNotBeUuids() {
        newest.offer(letter(0, 4, 1_000, null, 0));
        newest.offer(letter(0, 1, 1_000, null, 0));
        newest.offer(letter(0, 2, 1_000, "order-17", 0));
        newest.offer(letter(0, 3, 1_000, "order-17", 0));
        newest.offer(letter(1, 0, 1_000, "order-18", 0));

        assertThat(newest.toSend().get(0)).containsExactly(1, 3, 4);
        assertThat(newest.toSend().get(1)).containsExactly(0);
        assertThat(newest.olderCopies()).isEqualTo(1);
    }

    private static ConsumerRecord<String, byte[]> letter(
            int partition, long offset, long timestamp, String eventId, int redrives) {
        RecordHeaders headers = new RecordHeaders();
        if (eventId != null) {
            headers.add(BusHeaders.CE_ID, eventId.getBytes(StandardCharsets.UTF_8));
        }
        headers.add(
                DeadLetterQueue.REDRIVES,
                Integer.toString(redrives).getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(
                "customer-events.email.dlq",
                partition,
                offset,
                timestamp,
                TimestampType.CREATE_TIME,
                0,
                0,
                "customer-1",
                new byte[0],
                headers,
                Optional.empty());
    }
}
