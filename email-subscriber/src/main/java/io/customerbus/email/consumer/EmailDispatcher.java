package io.customerbus.email.consumer;

import io.customerbus.email.mail.Mails;
import io.customerbus.email.mail.SendFailure;
import io.customerbus.runtime.idempotency.IdempotencyStore;
import io.customerbus.runtime.subscriber.Backoff;
import io.customerbus.runtime.subscriber.BusEvent;
import io.customerbus.runtime.subscriber.DeadLetters;
import io.customerbus.runtime.subscriber.PoisonEventException;
import io.customerbus.runtime.subscriber.Retries;
import io.customerbus.runtime.tracing.BusTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.mailer.MailTemplate.MailTemplateInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;
import org.jboss.logging.Logger;

/**
 * Decides, per event, whether to send, skip, retry later or give up — and sends. At most one email
 * per event: the idempotency store is claimed before sending and marked after.
 *
 * <p>The one window left: a crash after the SMTP server accepted the message and before the mark is
 * written. The lease then expires and the redelivered event is sent a second time. SMTP has no way
 * to ask "did you get this one?", so no subscriber can close that window; it is as narrow as one
 * Redis round trip.
 */
public final class EmailDispatcher {

    private static final Logger LOG = Logger.getLogger(EmailDispatcher.class);
    static final String ATTEMPTS = "email-attempts";
    static final String LAST_ERROR = "email-last-error";

    private final EmailSettings settings;
    private final IdempotencyStore sent;
    private final Retries retries;
    private final DeadLetters deadLetters;
    private final EmailMetrics metrics;
    private final BusTracing tracing;

    EmailDispatcher(
            EmailSettings settings,
            IdempotencyStore sent,
            Retries retries,
            DeadLetters deadLetters,
            EmailMetrics metrics,
            BusTracing tracing) {
        this.settings = settings;
        this.sent = sent;
        this.retries = retries;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /** Events straight from the bus: history is never mailed. */
    void fromBus(List<BusEvent> batch) throws ExecutionException, InterruptedException {
        Instant oldest = Instant.now().minus(settings.maxAge());
        List<BusEvent> news = new ArrayList<>(batch.size());
        for (BusEvent received : batch) {
            if (received.replayed()) {
                metrics.skipped("replay");
            } else if (received.event().occurredAt().isBefore(oldest)) {
                metrics.skipped("too-old");
            } else {
                news.add(received);
            }
        }
        for (int from = 0; from < news.size(); from += settings.concurrentSends()) {
            attempt(
                    news.subList(from, Math.min(news.size(), from + settings.concurrentSends())),
                    event -> 1);
        }
    }

    /**
     * Records from the retry topic, each tried again once its time has come. One from before the
     * retry group's replay boundary (a new group reads the topic from its start, a rewound one
     * again) may still be an email waiting to go, and is tried — unless its event is older than
     * max-age: then it is history, skipped as on the bus. The marks of emails sent outlast max-age
     * but not the topic, so trying it could send it again.
     */
    void fromRetryTopic(List<BusEvent> batch) throws ExecutionException, InterruptedException {
        Instant oldest = Instant.now().minus(settings.maxAge());
        List<BusEvent> waiting = new ArrayList<>(batch.size());
        for (BusEvent received : batch) {
            if (received.replayed() && received.event().occurredAt().isBefore(oldest)) {
                metrics.skipped("too-old");
            } else {
                waiting.add(received);
            }
        }
        // Soonest due first (one customer's emails need no order): a record due in two minutes (a
        // late attempt) holds up none of those due now behind it; those due together go out side
        // by side, as on the bus.
        waiting.sort(Comparator.comparing(Retries::notBeforeOf));
        int next = 0;
        while (next < waiting.size()) {
            Duration wait = Duration.between(Instant.now(), Retries.notBeforeOf(waiting.get(next)));
            if (!wait.isNegative()) {
                Thread.sleep(wait.toMillis());
            }
            Instant now = Instant.now();
            int end = next + 1;
            while (end < waiting.size()
                    && end - next < settings.concurrentSends()
                    && !Retries.notBeforeOf(waiting.get(end)).isAfter(now)) {
                end++;
            }
            attempt(waiting.subList(next, end), event -> Retries.attemptsOf(event) + 1);
            next = end;
        }
    }

    /** An email on its way to the provider. */
    private record Sending(BusEvent received, CompletableFuture<Void> accepted) {}

    /**
     * Sends the emails of a few events at once (one customer's emails need no order): the claims in
     * one Redis round trip, the messages over the mailer's pooled SMTP connections side by side,
     * the marks in one round trip. Each email is still claimed before it is sent and marked after
     * the provider accepted it.
     */
    private void attempt(List<BusEvent> events, ToIntFunction<BusEvent> attemptOf)
            throws ExecutionException, InterruptedException {
        List<BusEvent> withMail = new ArrayList<>(events.size());
        List<MailTemplateInstance> mails = new ArrayList<>(events.size());
        for (BusEvent received : events) {
            Optional<MailTemplateInstance> mail;
            try {
                mail = Mails.forEvent(received.event());
            } catch (RuntimeException e) {
                // The event's own content: it would fail every time, and hold up every email after
                // it, so it goes to the dead-letter topic with the reason.
                throw new PoisonEventException(
                        received.event().eventId(), "its email cannot be made: " + e);
            }
            if (mail.isPresent()) {
                withMail.add(received);
                mails.add(mail.get());
            } else {
                metrics.skipped("no-recipient");
            }
        }
        if (withMail.isEmpty()) {
            return;
        }
        Instant leasedUntil = Instant.now().plus(settings.idempotency().lease());
        List<IdempotencyStore.Claim> claims =
                sent.claimAll(
                        withMail.stream().map(e -> e.event().eventId()).toList(),
                        settings.idempotency().lease());
        List<Sending> sending = new ArrayList<>(withMail.size());
        List<BusEvent> elsewhere = new ArrayList<>();
        for (int i = 0; i < withMail.size(); i++) {
            BusEvent received = withMail.get(i);
            switch (claims.get(i)) {
                case DONE -> metrics.skipped("already-sent");
                case IN_PROGRESS -> elsewhere.add(received);
                case CLAIMED -> sending.add(new Sending(received, send(received, mails.get(i))));
            }
        }
        List<BusEvent> accepted = new ArrayList<>(sending.size());
        List<Map.Entry<BusEvent, SendFailure>> failures = new ArrayList<>();
        Instant deadline = Instant.now().plus(settings.sendTimeout());
        // A stop interrupts this thread, but the emails handed to the provider go on: their answers
        // are awaited all the same and the accepted ones marked, or they would be sent again once
        // their leases ran out after the restart.
        boolean interrupted = false;
        for (Sending email : sending) {
            while (true) {
                try {
                    long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
                    email.accepted().get(left, TimeUnit.MILLISECONDS);
                    accepted.add(email.received());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | TimeoutException e) {
                    email.accepted().cancel(true); // stops a send that timed out
                    failures.add(Map.entry(email.received(), SendFailure.of(e)));
                    break;
                }
            }
        }
        // The marks first: the retry and dead-letter topics below may fail (Kafka down), and an
        // email the provider accepted but left unmarked would be sent again once its lease ran out.
        markSent(accepted.stream().map(e -> e.event().eventId()).toList(), leasedUntil);
        accepted.forEach(e -> metrics.sent(e.event()));
        for (Map.Entry<BusEvent, SendFailure> failure : failures) {
            sent.release(failure.getKey().event().eventId());
            failed(failure.getKey(), attemptOf.applyAsInt(failure.getKey()), failure.getValue());
        }
        // Another replica is sending these; look again once its lease may have run out.
        for (BusEvent received : elsewhere) {
            retryLater(
                    received, attemptOf.applyAsInt(received) - 1, "being sent by another replica");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Marks the emails the provider accepted, trying again while Redis is unavailable for as long
     * as their claims last ({@code leasedUntil}). Failing the batch instead would send them again:
     * the batch is applied anew, and its claims, still leased, read as another replica's, so the
     * emails would go out once the leases ran out.
     */
    private void markSent(List<UUID> accepted, Instant leasedUntil) throws InterruptedException {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        while (true) {
            try {
                sent.completeAll(accepted, settings.idempotency().keep());
                return;
            } catch (RuntimeException e) {
                Duration pause = backoff.next();
                if (Instant.now().plus(pause).isAfter(leasedUntil)) {
                    throw e;
                }
                LOG.warnf(
                        "marking %d sent emails failed; retrying in %s: %s",
                        accepted.size(), pause, e.getMessage());
                Thread.sleep(pause.toMillis());
            }
        }
    }

    /** Starts one email, traced as an SMTP call inside the event's processing span. */
    private CompletableFuture<Void> send(BusEvent received, MailTemplateInstance mail) {
        Span smtp = tracing.child(received.span(), "smtp send", SpanKind.CLIENT);
        CompletableFuture<Void> sending = Mails.send(mail);
        // Not the dependent stage: cancelling a send that timed out must reach the mailer.
        sending.whenComplete((accepted, failure) -> BusTracing.end(smtp, failure));
        return sending;
    }

    private void failed(BusEvent received, int attempt, SendFailure failure)
            throws ExecutionException, InterruptedException {
        metrics.providerFailed(failure);
        if (failure.permanent()) {
            deadLetter(received, attempt, "the provider refused it: " + failure.reason(), failure);
        } else if (attempt >= settings.retry().maxAttempts()) {
            deadLetter(received, attempt, "gave up after " + attempt + " attempts", failure);
        } else {
            retryLater(received, attempt, failure.reason());
        }
    }

    private void retryLater(BusEvent received, int attemptsMade, String reason)
            throws ExecutionException, InterruptedException {
        Duration pause =
                Backoff.before(
                        Math.max(attemptsMade, 1),
                        settings.retry().initialBackoff(),
                        settings.retry().maxBackoff());
        retries.schedule(received.record(), attemptsMade, Instant.now().plus(pause), reason);
        metrics.retried();
        LOG.debugf("email for %s retried in %s: %s", received.event().eventId(), pause, reason);
    }

    private void deadLetter(BusEvent received, int attempt, String reason, SendFailure failure)
            throws ExecutionException, InterruptedException {
        deadLetters.send(
                received.record(),
                reason,
                Map.of(ATTEMPTS, Integer.toString(attempt), LAST_ERROR, failure.reason()));
        metrics.deadLettered();
        LOG.warnf("email for %s dead-lettered: %s", received.event().eventId(), reason);
    }
}
