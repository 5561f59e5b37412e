package io.customerbus.console.deadletters;

import io.customerbus.console.bus.BusConnection;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.runtime.operations.Actor;
import io.customerbus.runtime.operations.DeadLetterQueue;
import io.customerbus.runtime.operations.NoRetryTopicException;
import io.customerbus.runtime.operations.TimeOutOfRangeException;
import io.customerbus.runtime.subscriber.DeadLetters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The console's dead-letter views and actions, on the same {@link DeadLetterQueue} as the CLI. */
@ApplicationScoped
public class DeadLetterViews {

    static final int MAX_LISTED = 500;

    @Inject BusConnection connection;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    public DeadLetterView list(String subscriber) throws Exception {
        DeadLetterQueue queue = queue(subscriber);
        return onQueue(
                subscriber,
                (admin, reader) -> {
                    DeadLetterQueue.Listing listing =
                            queue.list(admin, reader, DeadLetterQueue.Filter.ALL, MAX_LISTED);
                    return new DeadLetterView(
                            subscriber,
                            queue.topic(),
                            queue.retryTopic(admin).orElse(null),
                            listing.count(),
                            listing.byReason(),
                            listing.newest().stream()
                                    .map(
                                            r ->
                                                    new DeadLetterView.Letter(
                                                            r.partition(),
                                                            r.offset(),
                                                            text(r, DeadLetters.FAILED_AT),
                                                            text(r, BusHeaders.CE_TYPE),
                                                            text(r, BusHeaders.CE_ID),
                                                            text(r, DeadLetters.REASON),
                                                            DeadLetterQueue.redrivesOf(r)))
                                    .toList(),
                            listing.upTo());
                });
    }

    public DeadLetterView.Whole show(String subscriber, int partition, long offset)
            throws Exception {
        DeadLetterQueue queue = queue(subscriber);
        ConsumerRecord<String, byte[]> record =
                onQueue(
                                subscriber,
                                (admin, reader) -> queue.letter(admin, reader, partition, offset))
                        .orElseThrow(
                                () ->
                                        new NotFoundException(
                                                "no dead letter at "
                                                        + partition
                                                        + "@"
                                                        + offset
                                                        + " in "
                                                        + queue(subscriber).topic()));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(
                    header.key(),
                    header.value() == null
                            ? null
                            : new String(header.value(), StandardCharsets.UTF_8));
        }
        return new DeadLetterView.Whole(
                record.partition(),
                record.offset(),
                record.key(),
                headers,
                record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
    }

    /**
     * What a re-drive of the letters whose reason contains {@code reason} (any case; all when null)
     * would send, refuse as loops and leave out as older copies; sends nothing. {@code seen} bounds
     * it to what a view showed (see {@link DeadLetterQueue#seenIn}).
     */
    public DeadLetterQueue.Redriven planRedrive(
            String subscriber, String reason, Map<Integer, Long> seen) throws Exception {
        DeadLetterQueue queue = queue(subscriber);
        return onRetryableQueue(
                subscriber, (admin, reader) -> queue.plan(admin, reader, toRedrive(reason, seen)));
    }

    /** Re-drives what {@link #planRedrive} with the same arguments shows. */
    // Re-drives and purges take turns (two operators re-driving one DLQ at once would send its
    // letters twice and count one round); views go on beside them.
    public synchronized DeadLetterQueue.Redriven redrive(
            String subscriber, String reason, Map<Integer, Long> seen, String who)
            throws Exception {
        DeadLetterQueue queue = queue(subscriber);
        return onRetryableQueue(
                subscriber,
                (admin, reader) ->
                        queue.redrive(
                                admin,
                                reader,
                                toRedrive(reason, seen),
                                new Actor(who, BusConnection.TOOL)));
    }

    private static Predicate<ConsumerRecord<String, byte[]>> toRedrive(
            String reason, Map<Integer, Long> seen) {
        return new DeadLetterQueue.Filter(reason, null, null).and(DeadLetterQueue.seenIn(seen));
    }

    /** As {@link #onQueue}, and 409 when the subscriber reads no retry topic. */
    private <T> T onRetryableQueue(String subscriber, BusConnection.Scan<T> work) throws Exception {
        try {
            return onQueue(subscriber, work);
        } catch (NoRetryTopicException e) {
            throw new ClientErrorException(e.getMessage(), 409);
        }
    }

    /**
     * Deletes the subscriber's dead letters: all, or those dead-lettered before a time; never past
     * {@code seen} (the end offsets of the view the operator acted on) when it is given.
     */
    public synchronized long purge(
            String subscriber, Optional<Instant> before, Map<Integer, Long> seen, String who)
            throws Exception {
        try {
            return onQueue(
                    subscriber,
                    (admin, reader) ->
                            queue(subscriber)
                                    .purge(
                                            admin,
                                            reader,
                                            before,
                                            seen,
                                            new Actor(who, BusConnection.TOOL)));
        } catch (TimeOutOfRangeException outOfRange) {
            throw new BadRequestException(outOfRange.getMessage());
        }
    }

    /**
     * Work on a subscriber's DLQ, on a reader of its own: a DLQ can be long, and the other views
     * and the readiness check must not wait for it. 404 when the subscriber has no DLQ.
     */
    private <T> T onQueue(String subscriber, BusConnection.Scan<T> work) throws Exception {
        try {
            return connection.runAlone(work);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new NotFoundException(
                        "subscriber '"
                                + subscriber
                                + "' has no dead-letter topic "
                                + queue(subscriber).topic());
            }
            throw e;
        }
    }

    private DeadLetterQueue queue(String subscriber) {
        return new DeadLetterQueue(subscriber, bootstrapServers);
    }

    private static String text(ConsumerRecord<String, byte[]> record, String header) {
        return BusHeaders.text(record.headers(), header);
    }
}
