package io.customerbus.runtime.operations;

import io.customerbus.events.kafka.BusHeaders;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a re-drive takes of one DLQ partition's matching letters, offered oldest first: the newest
 * copy of each event — the one re-driven most often, the latest of equals — split into those to
 * send and the loops. A re-drive leaves its letters in the DLQ, and a record that fails again comes
 * back beside them: re-driving every copy doubled the copies with each round, and the loop guard,
 * counting per copy, never stopped the oldest.
 *
 * <p>It holds an event id and a position per event, never a letter: a DLQ may hold more letters
 * than a tool has memory (an hour of a provider's outage at a few hundred events a second).
 */
final class PartitionChoice {

    private record Copy(long offset, int redrives) {}

    private final Map<String, Copy> newest = new HashMap<>();
    private int matched;

    void offer(ConsumerRecord<String, byte[]> letter) {
        matched++;
        String eventId = BusHeaders.text(letter.headers(), BusHeaders.CE_ID);
        // A letter without an event id stands for itself.
        String key = eventId != null ? eventId : "@" + letter.offset();
        Copy copy = new Copy(letter.offset(), DeadLetterQueue.redrivesOf(letter));
        // Offered in offset order: of copies re-driven as often, the later one wins.
        newest.merge(
                key, copy, (kept, later) -> later.redrives() >= kept.redrives() ? later : kept);
    }

    /** The offsets to send, ascending. */
    long[] toSend() {
        return offsets(false);
    }

    /** The offsets of the newest copies re-driven too often already, ascending. */
    long[] loops() {
        return offsets(true);
    }

    int olderCopies() {
        return matched - newest.size();
    }

    private long[] offsets(boolean loops) {
        return newest.values().stream()
                .filter(copy -> (copy.redrives() >= DeadLetterQueue.MAX_REDRIVES) == loops)
                .mapToLong(Copy::offset)
                .sorted()
                .toArray();
    }
}
