package io.customerbus.analytics.consumer;

import io.customerbus.analytics.store.AnalyticsPositions;
import io.customerbus.analytics.store.AnalyticsStore;
import io.customerbus.analytics.store.EventEffect;
import io.customerbus.runtime.subscriber.BusEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a batch into effects and hands them to the store in one pipelined write. Replays need no
 * special case: every effect is guarded by its event's mark, so counting twice is impossible.
 */
// Eager, so its counters exist (at 0) before the first event arrives.
@Startup
@ApplicationScoped
public class AnalyticsHandler {

    @Inject AnalyticsStore store;
    @Inject AnalyticsPositions positions;
    @Inject MeterRegistry registry;

    private final Clock clock = Clock.systemUTC();
    private Counter counted;
    private Counter duplicates;
    private Counter tooOld;

    @PostConstruct
    void metrics() {
        counted =
                Counter.builder("analytics.events.counted")
                        .description("events added to the aggregates for the first time")
                        .register(registry);
        duplicates =
                Counter.builder("analytics.events.duplicate")
                        .description("redelivered or replayed events, already counted")
                        .register(registry);
        tooOld =
                Counter.builder("analytics.events.too.old")
                        .description("events older than the daily retention, not counted")
                        .register(registry);
    }

    public void handle(List<BusEvent> batch) {
        Instant now = clock.instant();
        List<EventEffect> effects = new ArrayList<>(batch.size());
        Map<Integer, Long> notCounted = new HashMap<>();
        for (BusEvent event : batch) {
            if (store.retained(event.event().occurredAt(), now)) {
                effects.add(EventEffects.of(event));
            } else {
                tooOld.increment();
                notCounted.merge(event.partition(), event.offset(), Math::max);
            }
        }
        // Counted per pipelined batch, so a failure half-way leaves the figures right so far.
        for (int from = 0; from < effects.size(); from += AnalyticsStore.PIPELINE) {
            List<EventEffect> chunk =
                    effects.subList(from, Math.min(effects.size(), from + AnalyticsStore.PIPELINE));
            int fresh = store.apply(chunk);
            counted.increment(fresh);
            duplicates.increment(chunk.size() - fresh);
        }
        // The positions move past history too old to count, as past what was counted: a partition
        // of nothing but such history is not read again from its beginning at every assignment.
        if (!notCounted.isEmpty()) {
            positions.passed(notCounted);
        }
    }
}
