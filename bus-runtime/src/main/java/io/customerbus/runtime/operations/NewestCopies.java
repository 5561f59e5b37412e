package io.customerbus.runtime.operations;

import io.customerbus.events.kafka.BusHeaders;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a re-drive takes of the matching letters, offered oldest first per partition: the newest
 * copy of each event — the one re-driven most often, the latest of equals — split into those to
 * send and the loops. A re-drive leaves its letters in the DLQ, and a record that fails again comes
 * back beside them: re-driving every copy doubled the copies with each round, and the loop guard,
 * counting per copy, never stopped the oldest.
 *
 * <p>It holds an event's id and its newest copy's place, about 100 bytes an event, never a letter:
 * a DLQ may hold more letters than a tool has memory (an hour of a provider's outage at a few
 * hundred events a second), and a letter is some kilobytes with its headers.
 */
final class NewestCopies {

    /** An event's newest copy, and how many copies of it there are. */
    private record Copy(int partition, long offset, long timestamp, int redrives, int copies) {

        Copy newer(Copy other) {
            Copy newest = other.laterThan(this) ? other : this;
            return new Copy(
                    newest.partition,
                    newest.offset,
                    newest.timestamp,
                    newest.redrives,
                    copies + other.copies);
        }

        boolean laterThan(Copy kept) {
            if (redrives != kept.redrives) {
                return redrives > kept.redrives;
            }
            // One event's copies share its key, so its partition, where the offset orders them;
            // on two partitions (the DLQ's partitions were added since), their time does.
            return partition == kept.partition ? offset > kept.offset : timestamp > kept.timestamp;
        }
    }

    // Ids as UUIDs where they are (the bus's are): a third of a String's memory.
    private final Map<Object, Copy> newest = new HashMap<>();

    void offer(ConsumerRecord<String, byte[]> letter) {
        Copy copy =
                new Copy(
                        letter.partition(),
                        letter.offset(),
                        letter.timestamp(),
                        DeadLetterQueue.redrivesOf(letter),
                        1);
        newest.merge(key(letter), copy, Copy::newer);
    }

    private static Object key(ConsumerRecord<String, byte[]> letter) {
        String eventId = BusHeaders.text(letter.headers(), BusHeaders.CE_ID);
        if (eventId == null) {
            // A letter without an event id stands for itself.
            return new DeadLetterQueue.Position(letter.partition(), letter.offset());
        }
        try {
            return UUID.fromString(eventId);
        } catch (IllegalArgumentException notAUuid) {
            return eventId;
        }
    }

    /** The offsets to send of each partition that has any, ascending. */
    Map<Integer, long[]> toSend() {
        Map<Integer, Integer> counts = new TreeMap<>();
        newest.values().stream()
                .filter(copy -> !aLoop(copy))
                .forEach(copy -> counts.merge(copy.partition(), 1, Integer::sum));
        Map<Integer, long[]> offsets = new TreeMap<>();
        counts.forEach((partition, count) -> offsets.put(partition, new long[count]));
        Map<Integer, Integer> filled = new HashMap<>();
        newest.values().stream()
                .filter(copy -> !aLoop(copy))
                .forEach(
                        copy ->
                                offsets.get(copy.partition())[
                                                filled.merge(copy.partition(), 1, Integer::sum)
                                                        - 1] =
                                        copy.offset());
        offsets.values().forEach(Arrays::sort);
        return offsets;
    }

    /** The newest copies re-driven too often already, in DLQ order. */
    List<DeadLetterQueue.Position> loops() {
        return newest.values().stream()
                .filter(NewestCopies::aLoop)
                .map(copy -> new DeadLetterQueue.Position(copy.partition(), copy.offset()))
                .sorted(
                        Comparator.comparingInt(DeadLetterQueue.Position::partition)
                                .thenComparingLong(DeadLetterQueue.Position::offset))
                .toList();
    }

    /** The older copies of the events sent (those of a loop are not re-driven either). */
    int olderCopies() {
        return newest.values().stream()
                .filter(copy -> !aLoop(copy))
                .mapToInt(copy -> copy.copies() - 1)
                .sum();
    }

    private static boolean aLoop(Copy copy) {
        return copy.redrives() >= DeadLetterQueue.MAX_REDRIVES;
    }
}
