package io.customerbus.console.deadletters;

import java.util.List;
import java.util.Map;

/**
 * A subscriber's dead letters: how many for each reason, and one line per record.
 *
 * @param retryTopic where a re-drive sends them; null when the subscriber reads none (then the way
 *     to apply them again is a replay)
 * @param letters newest first, at most {@link DeadLetterViews#MAX_LISTED}
 * @param upTo the end offset of each partition (by number) as read: a purge of what this view shows
 *     passes it back, so that letters dead-lettered since are not deleted unseen
 */
public record DeadLetterView(
        String subscriber,
        String topic,
        String retryTopic,
        int count,
        Map<String, Integer> byReason,
        List<Letter> letters,
        Map<Integer, Long> upTo) {

    /** One dead letter as the list shows it; its position names it for {@code show}. */
    public record Letter(
            int partition,
            long offset,
            String deadLetteredAt,
            String type,
            String eventId,
            String reason,
            int redrives) {}

    /** One dead letter whole: every header, and the body as text. */
    public record Whole(
            int partition, long offset, String key, Map<String, String> headers, String body) {}
}
