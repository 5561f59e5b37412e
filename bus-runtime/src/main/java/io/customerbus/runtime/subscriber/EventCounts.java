package io.customerbus.runtime.subscriber;

import io.customerbus.events.EventTypes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * A subscriber's records counted by outcome and event type ("applied purchase", "skipped
 * support-call", ...). Types are open-ended (any publisher may add one), so each pair is announced
 * the first time it is seen, and the metrics binding registers a counter for it then.
 */
public final class EventCounts {

    public enum Outcome {
        APPLIED("applied"),
        SKIPPED("skipped"),
        DEAD_LETTERED("dead-lettered");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** The type recorded for a record without a readable ce_type header. */
    public static final String UNKNOWN_TYPE = "unknown";

    /** Where types go once {@link #MAX_TYPES} are counted: metric series must stay bounded. */
    public static final String OTHER_TYPE = "other";

    public static final int MAX_TYPES = 100;

    private final Map<Outcome, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
    private volatile BiConsumer<Outcome, String> onFirstSeen = (outcome, type) -> {};

    /** Called once per new (outcome, type), and at once for every pair already seen. */
    public synchronized void onFirstSeen(BiConsumer<Outcome, String> listener) {
        counts.forEach(
                (outcome, byType) -> byType.keySet().forEach(t -> listener.accept(outcome, t)));
        this.onFirstSeen = listener;
    }

    public void add(Outcome outcome, String type, long n) {
        Map<String, LongAdder> byType =
                counts.computeIfAbsent(outcome, o -> new ConcurrentHashMap<>());
        LongAdder adder = byType.get(type == null ? UNKNOWN_TYPE : type);
        if (adder == null) {
            synchronized (this) {
                String key = key(type, byType);
                adder = byType.get(key);
                if (adder == null) {
                    adder = new LongAdder();
                    byType.put(key, adder);
                    onFirstSeen.accept(outcome, key);
                }
            }
        }
        adder.add(n);
    }

    /** The contract's type pattern, else "unknown"; past {@link #MAX_TYPES}, "other". */
    private static String key(String type, Map<String, LongAdder> seen) {
        if (!EventTypes.isWellFormed(type)) {
            return UNKNOWN_TYPE;
        }
        return seen.containsKey(type) || seen.size() < MAX_TYPES ? type : OTHER_TYPE;
    }

    /** All records with that outcome, whatever their type. */
    public long total(Outcome outcome) {
        return counts.getOrDefault(outcome, Map.of()).values().stream()
                .mapToLong(LongAdder::sum)
                .sum();
    }

    public long get(Outcome outcome, String type) {
        LongAdder adder = counts.getOrDefault(outcome, Map.of()).get(type);
        return adder == null ? 0 : adder.sum();
    }
}
