package io.customerbus.runtime.subscriber;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The metrics every subscriber has, tagged with its name and the topic it reads: events applied,
 * skipped (unwanted types, body never read), dead-lettered and replayed, the same by event type,
 * and its lag in records and in seconds.
 */
public final class SubscriberMetrics {

    private SubscriberMetrics() {}

    public static void bind(MeterRegistry registry, BusSubscriber subscriber) {
        Tags tags =
                Tags.of(
                        "subscriber", subscriber.settings().name(),
                        "topic", subscriber.settings().topic());
        FunctionCounter.builder("bus.events.applied", subscriber, BusSubscriber::applied)
                .description("events handed to the subscriber's handler and applied")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("bus.events.skipped", subscriber, BusSubscriber::skipped)
                .description("records of types the subscriber does not want (body never read)")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("bus.events.dead.lettered", subscriber, BusSubscriber::deadLettered)
                .description("records that broke the contract, sent to the DLQ")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("bus.events.replayed", subscriber, BusSubscriber::replayed)
                .description("events read again after a replay of the group")
                .tags(tags)
                .register(registry);
        Gauge.builder("bus.subscriber.lag.records", subscriber, BusSubscriber::lagRecords)
                .description("records on its partitions not applied yet (NaN until known)")
                .tags(tags)
                .register(registry);
        // Per type, registered as each type first shows up: publishers may add types any day.
        EventCounts counts = subscriber.byType();
        counts.onFirstSeen(
                (outcome, type) ->
                        FunctionCounter.builder(
                                        "bus.events.by.type", counts, c -> c.get(outcome, type))
                                .description(
                                        "records by outcome (applied, skipped, dead-lettered) and ce_type")
                                .tags(tags.and("outcome", outcome.tag(), "type", type))
                                .register(registry));
        Gauge.builder("bus.subscriber.lag.seconds", subscriber, BusSubscriber::lagSeconds)
                .description("age of the newest event of the last batch; 0 when caught up")
                .tags(tags)
                .register(registry);
        Timer latency =
                Timer.builder("bus.subscriber.event.to.applied")
                        .description(
                                "from an event's record time (when it occurred) to applied, live"
                                        + " events only; the end-to-end delay a user sees")
                        .tags(tags)
                        .publishPercentileHistogram()
                        .register(registry);
        subscriber.reportLatencyTo(millis -> latency.record(Math.max(0, millis), MILLISECONDS));
    }
}
