package io.customerbus.events.consumer;

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

    private final Map<Outcome, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
    private volatile BiConsumer<Outcome, String> onFirstSeen = (outcome, type) -> {};

    /** Called once per new (outcome, type), and at once for every pair already seen. */
    public synchronized void onFirstSeen(BiConsumer<Outcome, String> listener) {
        counts.forEach(
                (outcome, byType) -> byType.keySet().forEach(t -> listener.accept(outcome, t)));
        this.onFirstSeen = listener;
    }

    public void add(Outcome outcome, String type, long n) {
        String key = type == null || type.isBlank() ? UNKNOWN_TYPE : type;
        Map<String, LongAdder> byType =
                counts.computeIfAbsent(outcome, o -> new ConcurrentHashMap<>());
        LongAdder adder = byType.get(key);
        if (adder == null) {
            synchronized (this) {
                adder = byType.computeIfAbsent(key, k -> new LongAdder());
                adder.add(n);
                onFirstSeen.accept(outcome, key);
                return;
            }
        }
        adder.add(n);
    }

    public long get(Outcome outcome, String type) {
        LongAdder adder = counts.getOrDefault(outcome, Map.of()).get(type);
        return adder == null ? 0 : adder.sum();
    }
}
