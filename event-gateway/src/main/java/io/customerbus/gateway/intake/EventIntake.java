package io.customerbus.gateway.intake;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.json.ValidEvent;
import io.customerbus.events.kafka.TraceContext;
import io.customerbus.runtime.outbox.OutboxWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Accepts a request's events — all or none — for a publisher: checks what it may publish and its
 * rate, then, in one transaction, records the new ids in the ledger and their events in the outbox.
 * Accepted therefore means on the bus eventually, Kafka up or not; a retried id with the same
 * content gets its original receipt and writes nothing; with other content, 409.
 */
@ApplicationScoped
public class EventIntake {

    @Inject AcceptedEvents ledger;
    @Inject OutboxWriter outbox;
    @Inject PublisherRateLimits rateLimits;
    @Inject IntakeMetrics metrics;

    /** The receipts, in the request's order. */
    public List<Receipt> accept(
            Publisher publisher, List<ValidEvent> events, Optional<TraceContext> trace) {
        authorize(publisher, events);
        try {
            rateLimits.take(publisher.name(), events.size());
        } catch (RejectedEvents limited) {
            countEach(publisher, events, IntakeMetrics.LIMITED);
            throw limited;
        }
        List<Fingerprint> prints = events.stream().map(Fingerprint::of).toList();
        Written written;
        try {
            written = write(publisher, prints, trace);
        } catch (RejectedEvents conflict) {
            countEach(publisher, events, IntakeMetrics.CONFLICT);
            throw conflict;
        }
        Map<String, Integer> accepted = new TreeMap<>();
        Map<String, Integer> duplicates = new TreeMap<>();
        // An id is accepted once: its repeats, in this batch or later, are duplicates.
        Set<UUID> counted = new HashSet<>();
        for (Fingerprint print : prints) {
            boolean first =
                    written.fresh().contains(print.eventId()) && counted.add(print.eventId());
            (first ? accepted : duplicates).merge(print.eventType(), 1, Integer::sum);
        }
        accepted.forEach((type, n) -> metrics.count(publisher, type, IntakeMetrics.ACCEPTED, n));
        duplicates.forEach((type, n) -> metrics.count(publisher, type, IntakeMetrics.DUPLICATE, n));
        return written.receipts();
    }

    record Written(List<Receipt> receipts, Set<UUID> fresh) {}

    @Transactional
    Written write(Publisher publisher, List<Fingerprint> prints, Optional<TraceContext> trace) {
        Map<UUID, Fingerprint> unique = new LinkedHashMap<>();
        List<RejectedEvents.Problem> conflicts = new ArrayList<>();
        for (int i = 0; i < prints.size(); i++) {
            Fingerprint print = prints.get(i);
            Fingerprint earlier = unique.putIfAbsent(print.eventId(), print);
            if (earlier != null && !Arrays.equals(earlier.hash(), print.hash())) {
                conflicts.add(conflict(i, "appears earlier in this batch with other content"));
            }
        }
        requireNo(conflicts);
        Map<UUID, Instant> claimed = ledger.claim(publisher.name(), List.copyOf(unique.values()));
        Map<UUID, AcceptedEvents.Entry> earlier =
                ledger.find(
                        unique.keySet().stream().filter(id -> !claimed.containsKey(id)).toList());
        for (int i = 0; i < prints.size(); i++) {
            Fingerprint print = prints.get(i);
            AcceptedEvents.Entry entry = earlier.get(print.eventId());
            if (entry != null && !Arrays.equals(entry.contentHash(), print.hash())) {
                // When, only to the publisher of the original: ids are the bus's, shared by every
                // publisher, but what one has published is not another's to learn.
                conflicts.add(
                        conflict(
                                i,
                                "was accepted before with other content"
                                        + (entry.publisher().equals(publisher.name())
                                                ? " (" + entry.acceptedAt() + ")"
                                                : ", from another publisher")));
            }
        }
        requireNo(conflicts);
        List<Receipt> receipts = new ArrayList<>();
        Set<UUID> fresh = new HashSet<>();
        List<ValidEvent> toPublish = new ArrayList<>();
        for (Fingerprint print : prints) {
            CustomerEvent event = print.valid().event();
            Instant acceptedAt = claimed.get(print.eventId());
            if (acceptedAt != null && fresh.add(print.eventId())) {
                toPublish.add(print.valid());
            } else if (acceptedAt == null) {
                acceptedAt = earlier.get(print.eventId()).acceptedAt();
            }
            receipts.add(
                    new Receipt(event.eventId(), event.eventType(), event.source(), acceptedAt));
        }
        if (!toPublish.isEmpty()) {
            outbox.appendAll(toPublish, trace);
        }
        return new Written(receipts, fresh);
    }

    private void authorize(Publisher publisher, List<ValidEvent> events) {
        List<RejectedEvents.Problem> refused = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            String type = events.get(i).event().eventType();
            if (!publisher.mayPublish(type)) {
                refused.add(
                        new RejectedEvents.Problem(
                                i,
                                "eventType",
                                "authorization",
                                publisher.name()
                                        + " may not publish "
                                        + type
                                        + " events (its token allows: "
                                        + String.join(
                                                ", ",
                                                publisher.eventTypes().stream().sorted().toList())
                                        + ")"));
            }
        }
        if (!refused.isEmpty()) {
            countEach(publisher, events, IntakeMetrics.FORBIDDEN);
            rateLimits.charge(publisher.name(), events.size());
            throw new RejectedEvents(
                    403,
                    "Forbidden",
                    refused.size()
                            + " of "
                            + events.size()
                            + " events are of types "
                            + publisher.name()
                            + " may not publish; none was accepted",
                    refused);
        }
    }

    private void countEach(Publisher publisher, List<ValidEvent> events, String outcome) {
        Map<String, Integer> byType = new TreeMap<>();
        events.forEach(valid -> byType.merge(valid.event().eventType(), 1, Integer::sum));
        byType.forEach((type, n) -> metrics.count(publisher, type, outcome, n));
    }

    private static RejectedEvents.Problem conflict(int index, String why) {
        return new RejectedEvents.Problem(index, "eventId", "idempotency", "this eventId " + why);
    }

    private static void requireNo(List<RejectedEvents.Problem> conflicts) {
        if (!conflicts.isEmpty()) {
            throw new RejectedEvents(
                    409,
                    "Conflict",
                    "an eventId is reused for another event; none was accepted",
                    conflicts);
        }
    }
}
