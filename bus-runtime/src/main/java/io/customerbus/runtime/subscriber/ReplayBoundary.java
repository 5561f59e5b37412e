package io.customerbus.runtime.subscriber;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where history ends on one partition for one consumer group: records before this offset are
 * replays. It travels in the committed offset's metadata, so it survives restarts and is set by
 * whoever rewinds the group (the bus CLI) or, for a brand-new group, by its first start.
 */
public record ReplayBoundary(long until) {

    private static final Pattern METADATA = Pattern.compile("replay-until=(\\d+)");

    public static Optional<ReplayBoundary> parse(String metadata) {
        if (metadata == null) {
            return Optional.empty();
        }
        Matcher matcher = METADATA.matcher(metadata);
        return matcher.find()
                ? Optional.of(new ReplayBoundary(Long.parseLong(matcher.group(1))))
                : Optional.empty();
    }

    public String metadata() {
        return "replay-until=" + until;
    }

    public boolean covers(long offset) {
        return offset < until;
    }
}
