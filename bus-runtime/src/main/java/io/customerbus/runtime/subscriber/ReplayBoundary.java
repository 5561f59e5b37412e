package io.customerbus.runtime.subscriber;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where history ends on one partition for one consumer group: records before {@code until} are
 * replays. It travels in the committed offset's metadata, so it survives restarts and is set by
 * whoever rewinds the group (the bus CLI, the console) or, for a brand-new group, by its first
 * start. A rewind also records where the replay began ({@code from}; -1 when unknown, as for a new
 * group), so a replay's progress is the share of {@code from..until} applied, not of the whole
 * partition.
 */
public record ReplayBoundary(long from, long until) {

    private static final Pattern UNTIL = Pattern.compile("replay-until=(\\d+)");
    private static final Pattern FROM = Pattern.compile("replay-from=(\\d+)");

    /** A boundary whose start is unknown. */
    public ReplayBoundary(long until) {
        this(-1, until);
    }

    public static Optional<ReplayBoundary> parse(String metadata) {
        if (metadata == null) {
            return Optional.empty();
        }
        Matcher until = UNTIL.matcher(metadata);
        if (!until.find()) {
            return Optional.empty();
        }
        Matcher from = FROM.matcher(metadata);
        return Optional.of(
                new ReplayBoundary(
                        from.find() ? Long.parseLong(from.group(1)) : -1,
                        Long.parseLong(until.group(1))));
    }

    public String metadata() {
        return "replay-until=" + until + (from >= 0 ? ";replay-from=" + from : "");
    }

    public boolean covers(long offset) {
        return offset < until;
    }
}
