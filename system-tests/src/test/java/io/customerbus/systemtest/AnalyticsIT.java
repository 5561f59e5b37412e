package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.BusPublisher;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * analytics-subscriber as separate processes on a broker of its own: two replicas (one killed
 * half-way) count a known event set exactly; the documented rebuild gives the same figures; a store
 * that lost writes is refilled; Redis killed under load loses no count; and the dashboard, in real
 * headless Chromium, follows purchases posted to purchase-service.
 */
class AnalyticsIT {

    private static final String API = "/api/analytics/v1";

    private LocalKafka kafka;
    private Tokens tokens;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void start() throws Exception {
        kafka = new LocalKafka();
        tokens = new Tokens();
    }

    @AfterEach
    void stop() throws Exception {
        for (ServiceProcess service : services) {
            service.close();
        }
        kafka.close();
    }

    @Test
    void twoReplicasCountExactlyAndTheRebuildGivesTheSameFigures() throws Exception {
        String group = runGroup("analytics-it");
        Map<String, String> env = analyticsEnv(group);
        ServiceProcess a = start("analytics-subscriber", env);
        ServiceProcess b = start("analytics-subscriber", env);
        LocalDate day = LocalDate.of(2011, 3, 27);
        List<CustomerEvent> events = knownEvents(day, 900);
        Expected expected = Expected.of(events);

        publish(events.subList(0, 450));
        // A replica dies mid-stream, once it has applied some: its partitions, and whatever it
        // applied without committing, go to a.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Observed.counter(b, "bus_events_applied_total", "") > 0);
        b.kill();
        publish(events.subList(450, events.size()));
        awaitCounted(a, day, events.size());
        assertTotals(get(a, threeDays(day)), expected);
        Map<String, String> before = snapshot(a, day);

        // A replay without a wipe changes nothing: the per-partition positions stop every event
        // (their ids' marks expired after a second, ANALYTICS_DEDUPE_WINDOW).
        a.close();
        BusCli cli = new BusCli(kafka.bootstrapServers());
        BusCli.Result rewound = cli.run("replay", "--group", group, "--to-earliest");
        assertThat(rewound.exitCode()).as(rewound.output()).isZero();
        ServiceProcess replaying = start("analytics-subscriber", env);
        await().atMost(Duration.ofSeconds(90))
                .until(
                        () ->
                                Observed.counter(replaying, "analytics_events_duplicate_total", "")
                                        == events.size());
        assertThat(Observed.counter(replaying, "analytics_events_counted_total", "")).isZero();
        assertThat(snapshot(replaying, day)).isEqualTo(before);

        // The rebuild, as README documents it: stop, wipe the store, replay the group, start.
        replaying.close();
        BusCli.Result wiped = cli.run("keys", "wipe", "--prefix", prefix(group), "--group", group);
        assertThat(wiped.exitCode()).as(wiped.output()).isZero();
        assertThat(wiped.output()).containsPattern("wiped [1-9][0-9]* key\\(s\\)");
        BusCli.Result replayed = cli.run("replay", "--group", group, "--to-earliest");
        assertThat(replayed.exitCode()).as(replayed.output()).isZero();
        ServiceProcess rebuilt = start("analytics-subscriber", env);
        awaitCounted(rebuilt, day, events.size());

        assertThat(snapshot(rebuilt, day)).isEqualTo(before);
    }

    @Test
    void aStoreThatLostWritesKafkasCommitCoversIsRefilledFromTheBus() throws Exception {
        String group = runGroup("analytics-lost");
        Map<String, String> env = analyticsEnv(group);
        ServiceProcess a = start("analytics-subscriber", env);
        LocalDate day = LocalDate.of(2012, 6, 1);
        List<CustomerEvent> events = knownEvents(day, 300);
        publish(events);
        awaitCounted(a, day, events.size());
        Map<String, String> before = snapshot(a, day);
        await("everything applied is committed")
                .atMost(Duration.ofSeconds(30))
                .until(() -> Observed.lag(kafka, group, BusTopics.CUSTOMER_EVENTS) == 0);

        // Redis comes back without what it had (no persistence, or an AOF behind by its last
        // second), while Kafka's commit says everything was applied: no replay is run.
        a.close();
        BusCli.Result wiped =
                new BusCli(kafka.bootstrapServers())
                        .run("keys", "wipe", "--prefix", prefix(group), "--group", group);
        assertThat(wiped.exitCode()).as(wiped.output()).isZero();
        ServiceProcess b = start("analytics-subscriber", env);

        awaitCounted(b, day, events.size()); // from the store's own positions, not the commit
        assertThat(snapshot(b, day)).isEqualTo(before);
    }

    @Test
    void theDashboardFollowsPurchasesPostedToPurchaseService() throws Exception {
        PurchaseDatabase.recreate();
        ServiceProcess purchases =
                start(
                        "purchase-service",
                        Map.of(
                                "PURCHASES_DB", PurchaseDatabase.NAME,
                                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                                "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                                        tokens.publicKeyFile().toString()));
        ServiceProcess analytics =
                start("analytics-subscriber", analyticsEnv(runGroup("analytics-dash")));
        String product = "dash-" + run;
        WebDriver browser = Browser.chromium();
        try {
            browser.get(analytics.baseUrl() + "/analytics/#token=" + tokens.analyst("ana"));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(d -> text(d, "status").equals("live"));
            long eventsBefore = Long.parseLong(text(browser, "events-today"));

            buy(purchases, "dash-alice", product, 2, "12.34");
            buy(purchases, "dash-bob", product, 1, "12.34");

            // 3 × 12.34: the page redraws by itself (polling), no reload.
            wait.until(d -> text(d, "events-today").equals(Long.toString(eventsBefore + 2)));
            wait.until(
                    d ->
                            d
                                    .findElements(
                                            By.cssSelector(
                                                    "#revenue-today li[data-currency='EUR']"))
                                    .stream()
                                    .anyMatch(e -> e.getText().equals("EUR 37.02")));
            wait.until(
                    d ->
                            d
                                    .findElements(
                                            By.cssSelector(
                                                    "#top-products tr[data-product='"
                                                            + product
                                                            + "'] td.units"))
                                    .stream()
                                    .anyMatch(e -> e.getText().equals("3")));
            assertThat(text(browser, "unique-customers")).isEqualTo("2");
            assertThat(
                            browser.findElements(
                                    By.cssSelector("#events-chart rect[data-type='purchase']")))
                    .isNotEmpty();
            Browser.screenshot(browser, "analytics-dashboard.png");
        } finally {
            browser.quit();
        }
    }

    /**
     * Redis goes back in time under the running subscriber — killed and started from a snapshot
     * older than what it had acknowledged, as a restore, a replica promoted behind its primary or
     * an append-only file whose last write was postponed would: the events it lost are read again
     * from the bus by the same process, whose consumer has long moved past them.
     */
    @Test
    void redisKilledAndStartedFromAnEarlierSnapshotDuringALoadLeavesTheTotalsExact()
            throws Exception {
        try (LocalRedis redis = new LocalRedis()) {
            Map<String, String> env = analyticsEnv(runGroup("analytics-redis"));
            env.put("REDIS_PORT", Integer.toString(redis.port()));
            ServiceProcess analytics = start("analytics-subscriber", env);
            LocalDate day = LocalDate.of(2013, 9, 9);
            List<CustomerEvent> events = knownEvents(day, 3000);
            ExecutorService publishing = Executors.newSingleThreadExecutor();
            Future<?> published = publishing.submit(() -> publishPaced(events));

            awaitCountedAtLeast(analytics, 300);
            redis.save();
            // Writes Redis acknowledged after its snapshot: these are what it loses.
            awaitCountedAtLeast(analytics, 900);
            redis.kill();
            long onTheBus = Observed.endOffsets(kafka, BusTopics.CUSTOMER_EVENTS);
            await("events arriving while Redis is down")
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    Observed.endOffsets(kafka, BusTopics.CUSTOMER_EVENTS)
                                            >= onTheBus + 300);
            redis.start();
            published.get(120, TimeUnit.SECONDS);
            publishing.shutdown();
            awaitCounted(analytics, day, events.size()); // by the same process
            assertTotals(get(analytics, threeDays(day)), Expected.of(events));
        }
    }

    /**
     * An operator gives the subscriber's Redis a memory limit with a policy that evicts keys when
     * full: counts would go without an error, so the subscriber says it is not ready, and why,
     * until Redis keeps every key again. A Redis user refused INFO leaves it unchecked, not
     * unready.
     */
    @Test
    void aRedisThatMayEvictKeysLeavesTheSubscriberUnreadyNamingItsPolicy() throws Exception {
        try (LocalRedis redis = new LocalRedis()) {
            Map<String, String> env = analyticsEnv(runGroup("analytics-eviction"));
            env.put("REDIS_PORT", Integer.toString(redis.port()));
            ServiceProcess analytics = start("analytics-subscriber", env);

            redis.command("CONFIG SET maxmemory 64mb");
            redis.command("CONFIG SET maxmemory-policy allkeys-lru");
            HttpResponse<String> unready =
                    await("unready while Redis may evict")
                            .atMost(Duration.ofSeconds(30))
                            .until(
                                    () -> analytics.get("/q/health/ready"),
                                    r -> r.statusCode() == 503);
            assertThat(unready.body())
                    .contains("\"redis-eviction\"")
                    .contains("\"maxmemory-policy\": \"allkeys-lru\"")
                    .contains("\"maxmemory\": 67108864")
                    .contains("set maxmemory-policy noeviction");

            redis.command("CONFIG SET maxmemory-policy noeviction");
            await("ready once Redis keeps every key")
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () -> analytics.get("/q/health/ready").statusCode(),
                            code -> code == 200);

            // A hardened Redis user may not run INFO: unchecked, said so, and not unready for good.
            redis.command("ACL SETUSER default -info");
            HttpResponse<String> unchecked = analytics.get("/q/health/ready");
            assertThat(unchecked.statusCode()).isEqualTo(200);
            assertThat(unchecked.body()).contains("\"maxmemory-policy\": \"not readable\"");
        }
    }

    private static void awaitCountedAtLeast(ServiceProcess analytics, long events) {
        await(events + " events counted")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                Observed.counter(analytics, "analytics_events_counted_total", "")
                                        >= events);
    }

    // --- helpers ---

    /** The summary's per-currency figures are those computed from the events themselves. */
    private static void assertTotals(String summary, Expected expected) {
        assertThat(number(summary, "totalEvents")).isEqualTo(expected.total());
        expected.revenue()
                .forEach(
                        (currency, amount) ->
                                assertThat(summary)
                                        .contains(
                                                "\""
                                                        + currency
                                                        + "\":{\"purchases\":"
                                                        + expected.purchases().get(currency)
                                                        + ",\"refunds\":"
                                                        + expected.refunds().get(currency)
                                                        + ",\"units\":"
                                                        + expected.units().get(currency)
                                                        + ",\"revenue\":\""
                                                        + amount.toPlainString()
                                                        + "\"}"));
    }

    /** Publishes a load: a hundred events every 100 ms. */
    private Void publishPaced(List<CustomerEvent> events) throws Exception {
        try (BusPublisher publisher = new BusPublisher(kafka.bootstrapServers())) {
            for (int i = 0; i < events.size(); i += 100) {
                publisher.publishAll(events.subList(i, Math.min(events.size(), i + 100)));
                Thread.sleep(100);
            }
        }
        return null;
    }

    /** A group of this run: runs and tests never share a group or the keys of its prefix. */
    private String runGroup(String group) {
        return group + "-" + run;
    }

    private static String prefix(String group) {
        return group + ":";
    }

    /** The day before, the day and the day after: where knownEvents(day, ...) lie. */
    private static String threeDays(LocalDate day) {
        return "/summary?from=" + day.minusDays(1) + "&to=" + day.plusDays(1);
    }

    /**
     * Until the service has counted that many events of the three days (exceptions ignored: a
     * service whose store is down answers 500 meanwhile).
     */
    private void awaitCounted(ServiceProcess service, LocalDate day, int count) {
        await(count + " events counted")
                .atMost(Duration.ofSeconds(120))
                .ignoreExceptions()
                .until(
                        () -> number(get(service, threeDays(day)), "totalEvents"),
                        // On failure: the count last seen, so a stall and an overshoot differ.
                        Matchers.equalTo((long) count));
    }

    /** Mutable: a test may point it at a Redis of its own. */
    private Map<String, String> analyticsEnv(String group) {
        return new HashMap<>(
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        kafka.bootstrapServers(),
                        "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                        tokens.publicKeyFile().toString(),
                        "ANALYTICS_GROUP",
                        group,
                        "ANALYTICS_KEY_PREFIX",
                        prefix(group),
                        // The known set lies years back; keep its days.
                        "ANALYTICS_RETENTION_DAILY",
                        "P36500D"));
    }

    private ServiceProcess start(String module, Map<String, String> env) throws Exception {
        ServiceProcess service = new ServiceProcess(module, env).start();
        services.add(service);
        return service;
    }

    /** Every type, over three UTC days, forty customers, both currencies, purchases and refunds. */
    private List<CustomerEvent> knownEvents(LocalDate day, int count) {
        List<CustomerEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant at =
                    day.plusDays(i % 3 - 1)
                            .atStartOfDay()
                            .toInstant(ZoneOffset.UTC)
                            .plusSeconds((i * 97L) % 86_400);
            String user = "ana-" + run + "-" + (i % 40);
            String product = "prod-" + (i % 12);
            String currency = i % 2 == 0 ? "EUR" : "USD";
            Map<String, Object> data = new LinkedHashMap<>();
            String type;
            switch (i % 5) {
                case 0, 1, 2 -> {
                    type = EventTypes.PURCHASE;
                    data.put("purchaseId", UUID.randomUUID().toString());
                    data.put("quantity", 1 + i % 4);
                    data.put("unitPrice", new BigDecimal((i % 7) + ".25"));
                    data.put("currency", currency);
                }
                case 3 -> {
                    type = EventTypes.REFUND;
                    data.put("purchaseId", UUID.randomUUID().toString());
                    data.put("quantity", 1);
                    data.put("amount", new BigDecimal("1.10"));
                    data.put("currency", currency);
                }
                default -> type = EventTypes.PRODUCT_USE;
            }
            events.add(
                    new CustomerEvent(
                            UUID.randomUUID(), type, user, product, at, "analytics-it", 1, data));
        }
        return events;
    }

    /** What the known set must add up to, computed independently of the service. */
    private record Expected(
            long total,
            Map<String, BigDecimal> revenue,
            Map<String, Long> purchases,
            Map<String, Long> refunds,
            Map<String, Long> units) {

        static Expected of(List<CustomerEvent> events) {
            Map<String, BigDecimal> revenue = new TreeMap<>();
            Map<String, Long> purchases = new HashMap<>(),
                    refunds = new HashMap<>(),
                    units = new HashMap<>();
            for (CustomerEvent e : events) {
                String currency = (String) e.data().get("currency");
                long quantity =
                        e.data().containsKey("quantity")
                                ? ((Number) e.data().get("quantity")).longValue()
                                : 0;
                if (e.eventType().equals(EventTypes.PURCHASE)) {
                    revenue.merge(
                            currency,
                            ((BigDecimal) e.data().get("unitPrice"))
                                    .multiply(BigDecimal.valueOf(quantity)),
                            BigDecimal::add);
                    purchases.merge(currency, 1L, Long::sum);
                    units.merge(currency, quantity, Long::sum);
                } else if (e.eventType().equals(EventTypes.REFUND)) {
                    revenue.merge(
                            currency,
                            ((BigDecimal) e.data().get("amount")).negate(),
                            BigDecimal::add);
                    refunds.merge(currency, 1L, Long::sum);
                    units.merge(currency, -quantity, Long::sum);
                }
            }
            revenue.replaceAll((c, amount) -> amount.setScale(2));
            return new Expected(events.size(), revenue, purchases, refunds, units);
        }
    }

    /** Everything the API says about the three days: summaries, top products, buckets. */
    private Map<String, String> snapshot(ServiceProcess service, LocalDate day) throws Exception {
        Map<String, String> views = new LinkedHashMap<>();
        for (LocalDate d = day.minusDays(1); !d.isAfter(day.plusDays(1)); d = d.plusDays(1)) {
            views.put("summary " + d, get(service, "/summary?from=" + d + "&to=" + d));
            views.put("top " + d, get(service, "/products/top?day=" + d + "&limit=20"));
            views.put(
                    "hours " + d,
                    get(service, "/event-types?from=" + d + "&to=" + d + "&bucket=hour"));
        }
        views.put(
                "summary",
                get(service, "/summary?from=" + day.minusDays(1) + "&to=" + day.plusDays(1)));
        return views;
    }

    private String get(ServiceProcess service, String path) throws Exception {
        HttpResponse<String> response = service.get(API + path, tokens.analyst("ana"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private void publish(List<CustomerEvent> events) throws Exception {
        try (BusPublisher publisher = new BusPublisher(kafka.bootstrapServers())) {
            publisher.publishAll(events);
        }
    }

    private void buy(
            ServiceProcess purchases, String user, String product, int quantity, String price)
            throws Exception {
        HttpResponse<String> response =
                purchases.post(
                        "/api/purchases/v1/purchases",
                        tokens.customer(user),
                        "{\"productId\":\"%s\",\"quantity\":%d,\"unitPrice\":%s,\"currency\":\"EUR\"}"
                                .formatted(product, quantity, price));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static String text(WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }
}
