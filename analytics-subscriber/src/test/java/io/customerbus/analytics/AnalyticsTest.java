package io.customerbus.analytics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.customerbus.analytics.store.AnalyticsPositions;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.BusProbe;
import io.customerbus.events.testing.BusPublisher;
import io.customerbus.runtime.subscriber.DeadLetters;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events published on the real bus, aggregated in the real Redis, read back through the analyst
 * API. Each test writes on days of its own, years back, so the history other tests left on the test
 * bus never mixes into its figures.
 */
@QuarkusTest
class AnalyticsTest {

    private static final String API = "/api/analytics/v1";

    private final BusPublisher bus = new BusPublisher();

    @jakarta.inject.Inject AnalyticsPositions positions;
    private final LocalDate day =
            LocalDate.of(2000, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(7000));
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void aKnownSetOfEventsGivesExactFiguresAndRedeliveringItChangesNothing() throws Exception {
        String p1 = "p1-" + run, p2 = "p2-" + run;
        List<CustomerEvent> events =
                List.of(
                        purchase(
                                "u1",
                                p1,
                                at(day, "23:59:59.999"),
                                Map.of("quantity", 2, "unitPrice", "9.99", "currency", "EUR")),
                        purchase(
                                "u2",
                                p1,
                                at(day, "10:15:00"),
                                Map.of(
                                        "quantity",
                                        1,
                                        "unitPrice",
                                        "12.00",
                                        "totalPrice",
                                        "10.00",
                                        "currency",
                                        "EUR")),
                        purchase(
                                "u2",
                                p2,
                                at(day, "10:30:00"),
                                Map.of("quantity", 3, "unitPrice", "1.50", "currency", "USD")),
                        event(
                                EventTypes.REFUND,
                                "u1",
                                p1,
                                at(day, "12:00:00"),
                                Map.of(
                                        "purchaseId",
                                        UUID.randomUUID().toString(),
                                        "quantity",
                                        1,
                                        "amount",
                                        "9.99",
                                        "currency",
                                        "EUR")),
                        event(EventTypes.PRODUCT_USE, "u3", p1, at(day, "00:00:00"), Map.of()),
                        // Just over the boundaries: the next and the previous day.
                        event(
                                EventTypes.SUPPORT_CALL,
                                "u3",
                                null,
                                at(day.plusDays(1), "00:00:00"),
                                Map.of(
                                        "callId",
                                        UUID.randomUUID().toString(),
                                        "channel",
                                        "phone",
                                        "summary",
                                        "hi")),
                        purchase(
                                "u4",
                                p2,
                                at(day.minusDays(1), "23:59:59.999"),
                                Map.of("quantity", 1, "unitPrice", "2", "currency", "USD")));
        awaitCaughtUp();
        double counted = metric("analytics_events_counted_total");
        publishAll(events);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> metric("analytics_events_counted_total") == counted + events.size());

        assertExactFigures(p1, p2);

        // The same records again, as after a crash before the commit or a replay of the group.
        awaitCaughtUp();
        double duplicates = metric("analytics_events_duplicate_total");
        publishAll(events);
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                metric("analytics_events_duplicate_total")
                                        == duplicates + events.size());
        awaitCaughtUp();

        assertThat(metric("analytics_events_counted_total")).isEqualTo(counted + events.size());
        assertExactFigures(p1, p2);
    }

    private void assertExactFigures(String p1, String p2) {
        JsonPath summary = get("/summary?from=" + day + "&to=" + day);
        assertThat(summary.getMap("events"))
                .isEqualTo(Map.of("purchase", 3, "refund", 1, "product-use", 1));
        assertThat(summary.getInt("totalEvents")).isEqualTo(5);
        assertThat(summary.getInt("uniqueCustomers")).isEqualTo(3);
        // 2 × 9.99 + 10.00 − 9.99, exactly; refunds subtract units too.
        assertThat(summary.getString("sales.EUR.revenue")).isEqualTo("19.99");
        assertThat(summary.getInt("sales.EUR.purchases")).isEqualTo(2);
        assertThat(summary.getInt("sales.EUR.refunds")).isEqualTo(1);
        assertThat(summary.getInt("sales.EUR.units")).isEqualTo(2);
        assertThat(summary.getString("sales.USD.revenue")).isEqualTo("4.50");

        JsonPath around = get("/summary?from=" + day.minusDays(1) + "&to=" + day.plusDays(1));
        assertThat(around.getInt("totalEvents")).isEqualTo(7);
        assertThat(around.getInt("uniqueCustomers")).isEqualTo(4);
        assertThat(around.getString("sales.USD.revenue")).isEqualTo("6.50");

        JsonPath top = get("/products/top?day=" + day + "&limit=5");
        assertThat(top.getList("productId")).containsExactly(p2, p1);
        assertThat(top.getList("units")).containsExactly(3, 2);
        assertThat(top.getString("[1].sales.EUR.revenue")).isEqualTo("19.99");

        JsonPath hours = get("/event-types?from=" + day + "&to=" + day + "&bucket=hour");
        assertThat(hours.getList("start")).hasSize(24).first().isEqualTo(day + "T00:00:00Z");
        assertThat(hours.getMap("[0].counts")).isEqualTo(Map.of("product-use", 1));
        assertThat(hours.getMap("[10].counts")).isEqualTo(Map.of("purchase", 2));
        assertThat(hours.getMap("[12].counts")).isEqualTo(Map.of("refund", 1));
        assertThat(hours.getMap("[23].counts")).isEqualTo(Map.of("purchase", 1));
        assertThat(hours.getMap("[11].counts")).isEmpty();
        JsonPath days =
                get(
                        "/event-types?from="
                                + day.minusDays(1)
                                + "&to="
                                + day.plusDays(1)
                                + "&bucket=day");
        assertThat(days.getList("counts")).hasSize(3);
        assertThat(days.getMap("[2].counts")).isEqualTo(Map.of("support-call", 1));
    }

    @Test
    void anAmountItCannotCountExactlyIsDeadLetteredWithItsReasonAndTheRestCounted()
            throws Exception {
        CustomerEvent bad =
                purchase(
                        "u5",
                        "p-" + run,
                        at(day, "08:00:00"),
                        Map.of("quantity", 1, "unitPrice", "0.00001", "currency", "EUR"));
        CustomerEvent good =
                purchase(
                        "u5",
                        "p-" + run,
                        at(day, "08:01:00"),
                        Map.of("quantity", 1, "unitPrice", "1.25", "currency", "EUR"));
        try (BusProbe dlq = new BusProbe(BusTopics.deadLetter("analytics"))) {
            publishAll(List.of(bad, good));

            var letters =
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> dlq.recordsOf(bad.eventId()), r -> !r.isEmpty());
            assertThat(BusHeaders.text(letters.get(0).headers(), DeadLetters.REASON))
                    .contains("more than 4 decimals");
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                get("/summary?from=" + day + "&to=" + day)
                                                        .getString("sales.EUR.revenue"))
                                        .isEqualTo("1.25"));
    }

    @Test
    void aSaleThatWouldOverflowATotalIsDeadLetteredAndTheTotalStaysExact() throws Exception {
        Map<String, Object> huge =
                Map.of("quantity", 5_000_000_000_000_000_000L, "unitPrice", "0", "currency", "XTS");
        CustomerEvent first = purchase("u6", "p-big-" + run, at(day, "09:00:00"), huge);
        CustomerEvent second = purchase("u6", "p-big-" + run, at(day, "09:01:00"), huge);
        CustomerEvent after =
                purchase(
                        "u6",
                        "p-big-" + run,
                        at(day, "09:02:00"),
                        Map.of("quantity", 1, "unitPrice", "0", "currency", "XTS"));
        try (BusProbe dlq = new BusProbe(BusTopics.deadLetter("analytics"))) {
            publishAll(List.of(first, second, after));

            var letters =
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> dlq.recordsOf(second.eventId()), r -> !r.isEmpty());
            assertThat(BusHeaders.text(letters.get(0).headers(), DeadLetters.REASON))
                    .contains("past what a 64-bit counter holds");
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                get("/summary?from=" + day + "&to=" + day)
                                                        .getString("sales.XTS.units"))
                                        .isEqualTo("5000000000000000001"));
    }

    @Test
    void unitsSummedOverDaysPastWhatACounterHoldsAreExact() throws Exception {
        // Each day's counter holds its 5·10^18; their sum does not fit 64 bits, and wrapped round.
        LocalDate next = day.plusDays(1);
        Map<String, Object> huge =
                Map.of("quantity", 5_000_000_000_000_000_000L, "unitPrice", "0", "currency", "XTT");
        publishAll(
                List.of(
                        purchase("u7", "p-huge-" + run, at(day, "10:00:00"), huge),
                        purchase("u7", "p-huge-" + run, at(next, "10:00:00"), huge)));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                get("/summary?from=" + day + "&to=" + next)
                                                        .getString("sales.XTT.units"))
                                        .isEqualTo("10000000000000000000"));
    }

    @Test
    void anEventOlderThanTheDailyRetentionIsNotCounted() throws Exception {
        // The test profile keeps days for 20,000 days (about 55 years); 1970 is beyond.
        LocalDate ancient = LocalDate.of(1970, 1, 2);
        awaitCaughtUp();
        double tooOld = metric("analytics_events_too_old_total");
        RecordMetadata sent =
                bus.publish(
                        event(
                                EventTypes.PRODUCT_USE,
                                "u6",
                                "p",
                                at(ancient, "12:00:00"),
                                Map.of()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> metric("analytics_events_too_old_total") == tooOld + 1);

        assertThat(get("/summary?from=" + ancient + "&to=" + ancient).getInt("totalEvents"))
                .isZero();
        // Not counted, yet done with: the store's position is past it, so a restart does not
        // read it (or a partition of such history) again.
        assertThat(positions.nextOffsets().get(sent.partition())).isGreaterThan(sent.offset());
    }

    @Test
    void theStoresPositionMovesPastARecordItDeadLettered() throws Exception {
        awaitCaughtUp();
        RecordMetadata sent =
                bus.publish(
                        purchase(
                                "u7",
                                "p-" + run,
                                at(day, "10:00:00"),
                                Map.of("quantity", 1, "unitPrice", "0.00001", "currency", "EUR")));

        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> positions.nextOffsets().getOrDefault(sent.partition(), 0L),
                        next -> next > sent.offset());
    }

    @Test
    void badParametersAreProblemsWithTheReason() {
        problem(
                "/summary?from=yesterday",
                "from must be an ISO date (yyyy-MM-dd), not 'yesterday'");
        problem(
                "/summary?from=2026-01-02&to=2026-01-01",
                "to (2026-01-01) is before from (2026-01-02)");
        problem("/summary?from=2020-01-01&to=2026-01-01", "at most 400 days at a time");
        // Valid ISO dates, but a day after the last one is no date: once a 500.
        problem(
                "/summary?from=+999999999-12-31&to=+999999999-12-31",
                "from must be a date from 1970 to 9999, not '+999999999-12-31'");
        problem("/event-types?bucket=week", "bucket must be 'hour' or 'day', not 'week'");
        problem(
                "/event-types?from=2026-01-01&to=2026-01-08&bucket=hour",
                "at most 7 days at a time");
        problem("/products/top?limit=0", "limit must be a whole number from 1 to 100, not '0'");
        problem("/products/top?limit=ten", "limit must be a whole number from 1 to 100, not 'ten'");
    }

    @Test
    void onlyAnalystsMayRead() {
        given().get(API + "/summary").then().statusCode(401);
        given().auth()
                .oauth2(token(Set.of("crm-agent")))
                .get(API + "/summary")
                .then()
                .statusCode(403);
        given().auth().oauth2(analyst()).get(API + "/summary").then().statusCode(200);
    }

    @Test
    void theDashboardIsServedWithoutABuildStep() {
        given().get("/analytics/")
                .then()
                .statusCode(200)
                .body(containsString("id=\"events-chart\""));
        given().get("/analytics/dashboard.js")
                .then()
                .statusCode(200)
                .body(containsString("/api/analytics/v1"));
    }

    // --- helpers ---

    private void problem(String path, String detail) {
        given().auth()
                .oauth2(analyst())
                .get(API + path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo(detail));
    }

    /** The body, with decimals read as exact BigDecimals (revenue keeps its scale: 4.50). */
    private static JsonPath get(String path) {
        return given().auth()
                .oauth2(analyst())
                .get(API + path)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    static String analyst() {
        return token(Set.of("analyst"));
    }

    static String token(Set<String> roles) {
        return Jwt.issuer("customer-event-bus")
                .audience("customer-event-bus")
                .subject("analyst-1")
                .groups(roles)
                .expiresIn(Duration.ofMinutes(10))
                .sign();
    }

    private CustomerEvent purchase(
            String user, String product, Instant at, Map<String, Object> data) {
        Map<String, Object> withId = new java.util.HashMap<>(data);
        withId.put("purchaseId", UUID.randomUUID().toString());
        return event(EventTypes.PURCHASE, user, product, at, withId);
    }

    private CustomerEvent event(
            String type, String user, String product, Instant at, Map<String, Object> data) {
        Map<String, Object> exact = new java.util.LinkedHashMap<>();
        data.forEach(
                (k, v) ->
                        exact.put(
                                k,
                                v instanceof String s && s.matches("[0-9.]+")
                                        ? new java.math.BigDecimal(s)
                                        : v));
        return new CustomerEvent(
                UUID.randomUUID(), type, user + "-" + run, product, at, "analytics-test", 1, exact);
    }

    private static Instant at(LocalDate day, String time) {
        return day.atTime(java.time.LocalTime.parse(time)).toInstant(ZoneOffset.UTC);
    }

    private void publishAll(List<CustomerEvent> events) throws Exception {
        bus.publishAll(events);
    }

    /** A metric of this service, as Prometheus scrapes it (the first series of that name). */
    private static double metric(String name) {
        Matcher m =
                Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$")
                        .matcher(given().get("/q/metrics").then().extract().asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Everything on the bus so far is applied (the toolkit's lag in records is 0). */
    private static void awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> metric("bus_subscriber_lag_records") == 0);
    }
}
