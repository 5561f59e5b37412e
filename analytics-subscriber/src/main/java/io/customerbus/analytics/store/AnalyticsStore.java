package io.customerbus.analytics.store;

import io.customerbus.runtime.subscriber.PoisonEventException;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes events into the aggregates: one Lua script per event (mark + effects, atomic), sent in
 * pipelined batches, so a batch of thousands costs a few round trips and stays exact however often
 * it is redelivered, and whichever replica applies it.
 */
@ApplicationScoped
public class AnalyticsStore {

    @Inject Redis redis;

    @ConfigProperty(name = "analytics.key-prefix")
    String prefix;

    @ConfigProperty(name = "analytics.retention.hourly")
    Duration hourlyRetention;

    @ConfigProperty(name = "analytics.retention.daily")
    Duration dailyRetention;

    @ConfigProperty(name = "analytics.dedupe-window")
    Duration dedupeWindow;

    private AnalyticsKeys keys;
    private String script;
    private volatile String sha;

    @PostConstruct
    void init() {
        keys = new AnalyticsKeys(prefix);
        try (InputStream in = getClass().getResourceAsStream("/redis/apply-event.lua")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public AnalyticsKeys keys() {
        return keys;
    }

    /** False for an event whose daily bucket has already expired: counting it would be partial. */
    public boolean retained(Instant occurredAt, Instant now) {
        return dayExpiry(Buckets.day(occurredAt)).isAfter(now);
    }

    /** Events per pipelined batch: large enough to amortise the round trip. */
    public static final int PIPELINE = 1000;

    /**
     * Applies one batch (at most {@link #PIPELINE}); returns how many were new. A sale the totals
     * cannot take (they would pass 64-bit integers) is refused as poison, having changed nothing;
     * the batch's other events are applied, and read as already applied when it is sent again.
     */
    public int apply(List<EventEffect> batch) {
        List<Response> applied = run(batch);
        int fresh = 0;
        for (int i = 0; i < applied.size(); i++) {
            int outcome = applied.get(i).toInteger();
            if (outcome < 0) {
                throw new PoisonEventException(
                        batch.get(i).eventId(),
                        "its units or revenue would take a total past what a 64-bit counter"
                                + " holds (9·10^18)");
            }
            fresh += outcome;
        }
        return fresh;
    }

    private List<Response> run(List<EventEffect> chunk) {
        if (sha == null) {
            load();
        }
        try {
            return redis.batchAndAwait(requests(chunk));
        } catch (RuntimeException e) {
            if (!lostScripts(e)) {
                throw e;
            }
            // Redis lost its script cache: a restart or a failover, which may have lost writes
            // too. Load the script and fail the batch all the same: the toolkit's retry first
            // puts back what the store lost (StoreRecovery), which a quiet resend here would
            // skip — the chunk's events would carry the position past the gap.
            load();
            throw new IllegalStateException(
                    "Redis has restarted or failed over (its scripts are gone)", e);
        }
    }

    /**
     * NOSCRIPT, however the client wraps it: a pipeline's error comes as a CompletionException
     * whose message starts with the failed request's index ("ERR [0] NOSCRIPT ...").
     */
    static boolean lostScripts(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    private void load() {
        sha = redis.sendAndAwait(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script)).toString();
    }

    private List<Request> requests(List<EventEffect> chunk) {
        List<Request> requests = new ArrayList<>(chunk.size());
        for (EventEffect effect : chunk) {
            requests.add(request(effect));
        }
        return requests;
    }

    private Request request(EventEffect e) {
        Instant hourStart = Buckets.hourStart(e.occurredAt());
        LocalDate day = Buckets.day(e.occurredAt());
        String hour = Buckets.hourId(hourStart);
        String dayId = Buckets.dayId(day);
        Request request =
                Request.cmd(Command.EVALSHA)
                        .arg(sha)
                        .arg(12)
                        .arg(keys.seen(e.eventId()))
                        .arg(keys.positions());
        for (String bucket : List.of(hour, dayId)) {
            request.arg(keys.events(bucket))
                    .arg(keys.customers(bucket))
                    .arg(keys.sales(bucket))
                    .arg(keys.revenue(bucket))
                    .arg(keys.top(bucket));
        }
        request.arg(e.type())
                .arg(e.userId())
                .arg(hourStart.plus(Duration.ofHours(1)).plus(hourlyRetention).getEpochSecond())
                .arg(dayExpiry(day).getEpochSecond());
        Sale sale = e.sale();
        if (sale == null) {
            request.arg("").arg("").arg(0).arg(0).arg("");
        } else {
            request.arg(sale.productId())
                    .arg(sale.currency())
                    .arg(sale.units())
                    .arg(sale.revenue())
                    .arg(sale.kind().field());
        }
        return request.arg(e.partition()).arg(e.offset()).arg(dedupeWindow.toSeconds());
    }

    private Instant dayExpiry(LocalDate day) {
        return Buckets.start(day.plusDays(1)).plus(dailyRetention);
    }
}
