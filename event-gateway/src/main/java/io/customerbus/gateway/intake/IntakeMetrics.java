package io.customerbus.gateway.intake;

import io.customerbus.events.EventTypes;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code gateway_events_total{publisher, type, outcome}}: accepted, duplicate (a retry answered
 * from the ledger), invalid, forbidden, conflict, too-large and limited events. Types a publisher
 * may not publish and the contract does not know are counted as {@code other}, so a client cannot
 * grow the metric without bound.
 */
@ApplicationScoped
public class IntakeMetrics {

    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String INVALID = "invalid";
    public static final String FORBIDDEN = "forbidden";
    public static final String CONFLICT = "conflict";
    public static final String TOO_LARGE = "too-large";
    public static final String LIMITED = "limited";

    @Inject MeterRegistry registry;

    public void count(Publisher publisher, String eventType, String outcome, int events) {
        registry.counter(
                        "gateway.events",
                        "publisher",
                        publisher.name(),
                        "type",
                        bounded(publisher, eventType),
                        "outcome",
                        outcome)
                .increment(events);
    }

    private static String bounded(Publisher publisher, String eventType) {
        if (eventType == null) {
            return "unknown";
        }
        return publisher.mayPublish(eventType) || EventTypes.KNOWN.contains(eventType)
                ? eventType
                : "other";
    }
}
