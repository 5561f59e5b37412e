package io.customerbus.analytics.store;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the aggregates back: sums over buckets, unions of customer sets, top products. */
@ApplicationScoped
public class AnalyticsQueries {

    public record Summary(
            LocalDate from,
            LocalDate to,
            long totalEvents,
            Map<String, Long> events,
            Map<String, Totals> sales,
            long uniqueCustomers) {}

    public record TopProduct(String productId, long units, Map<String, Totals> sales) {}

    public record Bucket(Instant start, Map<String, Long> counts) {}

    @Inject AnalyticsStore store;
    @Inject RedisDataSource redis;

    public Summary summary(LocalDate from, LocalDate to) {
        AnalyticsKeys keys = store.keys();
        Map<String, Long> events = new TreeMap<>();
        Map<String, Totals> sales = new TreeMap<>();
        List<String> customerSets = new ArrayList<>();
        for (LocalDate day : days(from, to)) {
            String bucket = Buckets.dayId(day);
            hashes().hgetall(keys.events(bucket))
                    .forEach((type, n) -> events.merge(type, n, Long::sum));
            hashes().hgetall(keys.revenue(bucket)).forEach((field, n) -> add(sales, field, n));
            customerSets.add(keys.customers(bucket));
        }
        long unique = redis.hyperloglog(String.class).pfcount(customerSets.toArray(String[]::new));
        long total = events.values().stream().mapToLong(Long::longValue).sum();
        return new Summary(from, to, total, events, sales, unique);
    }

    public List<TopProduct> top(LocalDate day, int limit) {
        AnalyticsKeys keys = store.keys();
        String bucket = Buckets.dayId(day);
        SortedSetCommands<String, String> sorted = redis.sortedSet(String.class);
        List<ScoredValue<String>> ranked =
                sorted.zrangeWithScores(
                        keys.top(bucket),
                        0,
                        limit - 1,
                        new io.quarkus.redis.datasource.sortedset.ZRangeArgs().rev());
        Map<String, Map<String, Totals>> byProduct = new LinkedHashMap<>();
        hashes().hgetall(keys.sales(bucket))
                .forEach(
                        (field, n) -> {
                            // product|currency|counter; the product id may itself contain '|'.
                            int counter = field.lastIndexOf('|');
                            int currency = field.lastIndexOf('|', counter - 1);
                            byProduct
                                    .computeIfAbsent(
                                            field.substring(0, currency), p -> new TreeMap<>())
                                    .merge(
                                            field.substring(currency + 1, counter),
                                            Totals.ZERO.plus(field.substring(counter + 1), n),
                                            Totals::plus);
                        });
        List<TopProduct> top = new ArrayList<>();
        for (ScoredValue<String> entry : ranked) {
            top.add(
                    new TopProduct(
                            entry.value(),
                            (long) entry.score(),
                            byProduct.getOrDefault(entry.value(), Map.of())));
        }
        return top;
    }

    public List<Bucket> eventTypes(LocalDate from, LocalDate to, ChronoUnit unit) {
        AnalyticsKeys keys = store.keys();
        List<Bucket> series = new ArrayList<>();
        Instant end = Buckets.start(to.plusDays(1));
        for (Instant at = Buckets.start(from); at.isBefore(end); at = at.plus(1, unit)) {
            String bucket =
                    unit == ChronoUnit.HOURS ? Buckets.hourId(at) : Buckets.dayId(Buckets.day(at));
            series.add(new Bucket(at, new TreeMap<>(hashes().hgetall(keys.events(bucket)))));
        }
        return series;
    }

    private HashCommands<String, String, Long> hashes() {
        return redis.hash(String.class, String.class, Long.class);
    }

    private static List<LocalDate> days(LocalDate from, LocalDate to) {
        return from.datesUntil(to.plusDays(1)).toList();
    }

    /** Adds "currency|counter" → n to the per-currency totals. */
    private static void add(Map<String, Totals> sales, String field, long n) {
        int bar = field.lastIndexOf('|');
        sales.merge(
                field.substring(0, bar),
                Totals.ZERO.plus(field.substring(bar + 1), n),
                Totals::plus);
    }
}
