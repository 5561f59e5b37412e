package io.customerbus.gateway;

import static io.customerbus.gateway.support.Events.idOf;
import static io.customerbus.gateway.support.Events.signUp;
import static io.customerbus.gateway.support.Events.structured;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerbus.events.json.CustomerEventCodec;
import io.customerbus.events.testing.BusProbe;
import io.customerbus.gateway.intake.Fingerprint;
import io.customerbus.gateway.intake.LedgerExpiry;
import io.customerbus.gateway.support.Events;
import io.customerbus.gateway.support.PublisherTokens;
import io.customerbus.gateway.support.Sentinel;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency by eventId, who may publish what, and the abuse limits — on the real bus. */
@QuarkusTest
class GuardsTest {

    static final String EVENTS = "/api/events/v1/events";

    @Inject DataSource dataSource;
    @Inject LedgerExpiry expiry;

    private final String accounts = "accounts-" + UUID.randomUUID();
    private final String token = PublisherTokens.publisher(accounts, "account-created");
    private final String user = "user-" + UUID.randomUUID();
    private BusProbe bus;

    @BeforeEach
    void openBus() {
        bus = new BusProbe();
    }

    @AfterEach
    void closeBus() {
        bus.close();
    }

    @Test
    void retryWithTheSameContentGetsTheOriginalAnswerAndWritesNothing() {
        Map<String, Object> signUp = signUp(user);
        Response first = post(token, signUp);
        // The same event with its fields in another order is the same content.
        Map<String, Object> reordered = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(signUp.keySet());
        Collections.reverse(keys);
        keys.forEach(key -> reordered.put(key, signUp.get(key)));
        Response retry = post(token, reordered);

        first.then().statusCode(202);
        retry.then().statusCode(202);
        assertThat(retry.asString()).isEqualTo(first.asString());
        assertThat(published(signUp)).isEqualTo(1);
    }

    @Test
    void theSameIdWithOtherContentIsAConflict() {
        Map<String, Object> signUp = signUp(user);
        post(token, signUp).then().statusCode(202);
        Map<String, Object> changed = new LinkedHashMap<>(signUp);
        changed.put("userId", user + "-other");

        post(token, changed)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("eventId"))
                .body(
                        "violations[0].message",
                        containsString("accepted before with other content ("));
        assertThat(published(signUp)).isEqualTo(1);

        // Another publisher reusing the id learns that it is taken, not when or whose it is.
        String other = PublisherTokens.publisher("other-" + accounts, "account-created");
        post(other, changed)
                .then()
                .statusCode(409)
                .body(
                        "violations[0].message",
                        equalTo(
                                "this eventId was accepted before with other content, from"
                                        + " another publisher"));
    }

    @Test
    void concurrentRetriesOfOneEventPublishItOnce() throws Exception {
        Map<String, Object> signUp = signUp(user);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> post(token, signUp)));
            }
            List<String> bodies = new ArrayList<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
                bodies.add(response.asString());
            }
            assertThat(bodies).as("one receipt, six times").containsOnly(bodies.get(0));
        } finally {
            pool.shutdown();
        }
        assertThat(published(signUp)).isEqualTo(1);
    }

    @Test
    void aRetriedBatchGetsItsReceiptsAgainAndPublishesNothingMore() {
        List<Map<String, Object>> events = List.of(signUp(user), signUp(user + "-b"));
        Response first = postBatch(token, events);
        Response retry = postBatch(token, events);

        first.then().statusCode(202);
        assertThat(retry.asString()).isEqualTo(first.asString());
        events.forEach(event -> assertThat(published(event)).isEqualTo(1));
    }

    @Test
    void anIdRepeatedInABatchIsPublishedAndCountedOnce() {
        String counted = "counted-" + UUID.randomUUID();
        String countedToken = PublisherTokens.publisher(counted, "account-created");
        Map<String, Object> signUp = signUp(user);

        postBatch(countedToken, List.of(signUp, signUp)).then().statusCode(202);

        assertThat(published(signUp)).isEqualTo(1);
        assertThat(given().get("/q/metrics").asString())
                .contains(metric(counted, "accepted") + " 1.0")
                .contains(metric(counted, "duplicate") + " 1.0");
    }

    @Test
    void requestsSharingIdsWaitForEachOtherInsteadOfDeadlocking() throws Exception {
        // Another request (here a transaction of the test's, claiming ids as the gateway does, in
        // PostgreSQL's order of uuids: byte by byte, the order of their text) has claimed the
        // first of two ids and not committed. A batch listing them the other way round must wait
        // for it, not claim the second first: then each would wait for the other, and PostgreSQL
        // would end that deadlock by failing one of them.
        List<Map<String, Object>> events =
                new ArrayList<>(List.of(signUp(user), signUp(user + "-b")));
        events.sort(Comparator.comparing(event -> idOf(event).toString()));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            claim(other, events.get(0));
            List<Map<String, Object>> reversed = List.of(events.get(1), events.get(0));
            Future<Response> answer = pool.submit(() -> postBatch(token, reversed));
            Awaitility.await("the batch waiting for the other request")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> waitingForALock() > 0);
            claim(other, events.get(1));
            other.commit();

            Response response = answer.get();
            response.then().statusCode(202);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anIdIsRememberedForTheRetentionThenForgottenAndAcceptedAnew() throws Exception {
        Map<String, Object> old = signUp(user);
        Map<String, Object> recent = signUp(user + "-recent");
        Response first = post(token, old);
        post(token, recent).then().statusCode(202);
        first.then().statusCode(202);
        age(idOf(old));

        assertThat(expiry.forgetExpired()).isGreaterThanOrEqualTo(1);

        assertThat(ledgerRows(idOf(old))).as("forgotten after 30 days").isZero();
        assertThat(ledgerRows(idOf(recent))).as("remembered within them").isEqualTo(1);
        Response again = post(token, old);
        again.then().statusCode(202);
        assertThat(again.jsonPath().getString("acceptedAt"))
                .as("accepted anew")
                .isNotEqualTo(first.jsonPath().getString("acceptedAt"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> bus.recordsOf(idOf(old)).size() == 2);
    }

    @Test
    void aRetryWhoseIdExpiresWhileItIsAnsweredGetsTheOriginalAnswer() throws Exception {
        Map<String, Object> event = signUp(user);
        Response first = post(token, event);
        first.then().statusCode(202);
        age(idOf(event));
        // The retry is held right after its claim (which finds the id) until the test lets it go:
        // a trigger on the claim's statement waits for an advisory lock the test holds. The expiry
        // runs in that gap, where, with nothing to stop it, it would delete the id the retry is
        // about to read.
        pauseAfterClaim();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection gate = dataSource.getConnection();
                Statement sql = gate.createStatement()) {
            // A lock of the gate's transaction: whatever happens, it ends with it.
            gate.setAutoCommit(false);
            sql.execute("SELECT pg_advisory_xact_lock(4242)");
            Future<Response> retry = pool.submit(() -> post(token, event));
            Awaitility.await("the retry held after its claim")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> waitingForALock() > 0);

            // Bounded: an expiry that waited for the retry would wait for the test.
            pool.submit(expiry::forgetExpired).get(10, TimeUnit.SECONDS);
            assertThat(ledgerRows(idOf(event))).as("passed by while claimed").isEqualTo(1);
            gate.commit();

            Response answer = retry.get();
            answer.then().statusCode(202);
            assertThat(answer.jsonPath().getString("eventId")).isEqualTo(idOf(event).toString());
            assertThat(Instant.parse(answer.jsonPath().getString("acceptedAt")))
                    .as("the original acceptance (aged), not a new one")
                    .isBefore(Instant.now().minus(Duration.ofDays(30)));
        } finally {
            pool.shutdown();
            dropPauseAfterClaim();
        }
        assertThat(published(event)).isEqualTo(1);
        assertThat(expiry.forgetExpired())
                .as("forgotten at the next run")
                .isGreaterThanOrEqualTo(1);
        assertThat(ledgerRows(idOf(event))).isZero();
    }

    private void pauseAfterClaim() throws Exception {
        dropPauseAfterClaim();
        try (Connection connection = dataSource.getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute(
                    """
                    CREATE FUNCTION pause_after_claim() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        PERFORM pg_advisory_xact_lock_shared(4242);
                        RETURN NULL;
                    END $$""");
            sql.execute(
                    "CREATE TRIGGER pause_after_claim AFTER INSERT ON accepted_event"
                            + " FOR EACH STATEMENT EXECUTE FUNCTION pause_after_claim()");
        }
    }

    private void dropPauseAfterClaim() throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("DROP TRIGGER IF EXISTS pause_after_claim ON accepted_event");
            sql.execute("DROP FUNCTION IF EXISTS pause_after_claim()");
        }
    }

    /** Makes the id 31 days old, past the ledger's retention. */
    private void age(UUID eventId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement age =
                        connection.prepareStatement(
                                "UPDATE accepted_event SET accepted_at = now() - interval '31 days'"
                                        + " WHERE event_id = ?")) {
            age.setObject(1, eventId);
            assertThat(age.executeUpdate()).isEqualTo(1);
        }
    }

    private long ledgerRows(UUID eventId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count =
                        connection.prepareStatement(
                                "SELECT count(*) FROM accepted_event WHERE event_id = ?")) {
            count.setObject(1, eventId);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    @Test
    void withoutAValidTokenNothingIsPublished() {
        given().contentType(ContentType.JSON)
                .body(signUp(user))
                .post(EVENTS)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        given().auth()
                .oauth2(PublisherTokens.customer(user))
                .contentType(ContentType.JSON)
                .body(signUp(user))
                .post(EVENTS)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        // Its name becomes the events' source, which CloudEvents needs to be a URI reference.
        given().auth()
                .oauth2(PublisherTokens.publisher("billing_eu:", "account-created"))
                .contentType(ContentType.JSON)
                .body(signUp(user))
                .post(EVENTS)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("as a URI reference"));
    }

    @Test
    void aTypeTheTokenDoesNotListIsForbiddenAndRejectsTheWholeBatch() {
        Map<String, Object> signUp = signUp(user);
        Map<String, Object> purchase =
                Events.event(
                        "purchase",
                        user,
                        "prod-456",
                        Map.of(
                                "purchaseId",
                                UUID.randomUUID().toString(),
                                "quantity",
                                1,
                                "unitPrice",
                                9.99,
                                "currency",
                                "EUR"));

        postBatch(token, List.of(signUp, purchase))
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("violations[0].index", equalTo(1))
                .body(
                        "violations[0].message",
                        equalTo(
                                accounts
                                        + " may not publish purchase events (its token allows: account-created)"));

        assertThat(published(signUp)).isZero();
        assertThat(published(purchase)).isZero();
    }

    @Test
    void aPublisherOverItsRateIsToldWhenToRetryAndCounted() {
        String noisy = "noisy-" + UUID.randomUUID();
        String noisyToken = PublisherTokens.publisher(noisy, "account-created");
        // The test profile's bucket: 100 events at once, 20 more a second.
        postBatch(noisyToken, signUps(50)).then().statusCode(202);
        postBatch(noisyToken, signUps(40)).then().statusCode(202);

        Response limited = postBatch(noisyToken, signUps(50));

        limited.then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("detail", containsString(noisy + " is over its rate limit"));
        // Read and checked before it was refused, so charged too: 10 left less 50 is a debt of
        // 40, and its 50 to fit again, 90 events at 20 a second.
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(4L, 6L);
        post(token, signUp(user)).then().statusCode(202);
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics)
                .contains(metric(noisy, "limited") + " 50.0")
                .contains(metric(noisy, "accepted") + " 90.0");
    }

    @Test
    void aRefusedBatchIsChargedEveryEventReadNotOne() {
        String sloppy = "sloppy-" + UUID.randomUUID();
        String sloppyToken = PublisherTokens.publisher(sloppy, "account-created");
        // Each batch one item over the limit of 50: its first 50 read and checked, then refused.
        for (int round = 0; round < 2; round++) {
            postBatch(sloppyToken, signUps(51)).then().statusCode(413);
        }
        List<Map<String, Object>> valid = signUps(50);

        // 100 events charged, the whole bucket: a valid batch of 50 must wait until it refills
        // (2.5 s at 20 a second); charged one event a refusal, it would have gone through.
        postBatch(sloppyToken, valid).then().statusCode(429);
        assertThat(published(valid.get(0))).isZero();
        assertThat(given().get("/q/metrics").asString())
                .contains(
                        "gateway_events_total{outcome=\"too-large\",publisher=\""
                                + sloppy
                                + "\",type=\"unknown\"} 100.0");
    }

    @Test
    void refusedRequestsUseUpTheRateTooAndAreThenRefusedUnread() {
        String broken = "broken-" + UUID.randomUUID();
        String brokenToken = PublisherTokens.publisher(broken, "account-created");
        // 50 + 45 of the bucket's 100 events, then 50 more than are left: 45 in debt.
        for (int size : new int[] {50, 45, 50}) {
            List<Map<String, Object>> invalid = signUps(size);
            invalid.forEach(event -> event.put("userId", ""));
            postBatch(brokenToken, invalid).then().statusCode(400);
        }
        Map<String, Object> valid = signUp(user);

        Response limited = post(brokenToken, valid);

        limited.then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("detail", containsString(broken + " is over its rate limit"));
        // A debt of 45 events, repaid at 20 a second.
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(2L, 4L);
        assertThat(published(valid)).isZero();
        assertThat(given().get("/q/metrics").asString())
                .contains(
                        "gateway_events_total{outcome=\"invalid\",publisher=\""
                                + broken
                                + "\",type=\"unknown\"} 145.0")
                .contains(
                        "gateway_events_total{outcome=\"limited\",publisher=\""
                                + broken
                                + "\",type=\"unknown\"} 1.0");
    }

    @Test
    void oversizedBatchesAndBodiesAreRefusedWhole() {
        postBatch(token, signUps(51))
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", equalTo("a batch may hold at most 50 events, this one has 51"));

        Map<String, Object> huge = signUp(user);
        huge.put("data", Map.of("note", "x".repeat(1_100_000)));
        double refusedBefore = refusedAsTooLarge();
        post(token, huge).then().statusCode(413).contentType("application/problem+json");
        assertThat(published(huge)).isZero();
        // Refused before the token is read, so no publisher's: counted by the HTTP metrics.
        assertThat(refusedAsTooLarge()).isEqualTo(refusedBefore + 1);

        // Under the body limit but over what a Kafka record holds: once accepted, it could never
        // be sent, and the relay would retry it before every later event, for ever.
        Map<String, Object> overARecord = signUp(user);
        overARecord.put(
                "data", Map.of("email", user + "@example.com", "note", "x".repeat(1_040_000)));
        postBatch(token, List.of(signUp(user), overARecord))
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("violations", hasSize(1))
                .body("violations[0].index", equalTo(1))
                .body("violations[0].rule", equalTo("size"))
                .body("violations[0].message", containsString("at most 1000000"));
        assertThat(published(overARecord)).as("nothing of the refused batch").isZero();
    }

    private static double refusedAsTooLarge() {
        String series =
                "http_server_requests_seconds_count{method=\"POST\",outcome=\"CLIENT_ERROR\","
                        + "status=\"413\",uri=\""
                        + EVENTS
                        + "\"} ";
        return given().get("/q/metrics")
                .asString()
                .lines()
                .filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length())))
                .sum();
    }

    private List<Map<String, Object>> signUps(int count) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(signUp(user + "-" + i));
        }
        return events;
    }

    /** Claims the event's id in the ledger, with its content's hash, as the gateway does. */
    private void claim(Connection connection, Map<String, Object> event) throws Exception {
        Fingerprint print =
                Fingerprint.of(
                        CustomerEventCodec.decodeAs(
                                new ObjectMapper().writeValueAsBytes(event), accounts));
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO accepted_event (event_id, publisher, event_type, content_hash)"
                                + " VALUES (?, ?, ?, ?)")) {
            insert.setObject(1, print.eventId());
            insert.setString(2, accounts);
            insert.setString(3, print.eventType());
            insert.setBytes(4, print.hash());
            insert.executeUpdate();
        }
    }

    private long waitingForALock() throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement(
                                "SELECT count(*) FROM pg_stat_activity"
                                        + " WHERE datname = current_database()"
                                        + " AND wait_event_type = 'Lock'");
                ResultSet result = select.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The counter of a publisher's sign-ups with the outcome, as /q/metrics names it. */
    private static String metric(String publisher, String outcome) {
        return "gateway_events_total{outcome=\""
                + outcome
                + "\",publisher=\""
                + publisher
                + "\",type=\"account-created\"}";
    }

    /** How many records of the event are on the bus, once all it could ever have are there. */
    private long published(Map<String, Object> event) {
        Sentinel.flush(bus, token, (String) event.get("userId"));
        return bus.recordsOf(idOf(event)).size();
    }

    private static Response post(String token, Map<String, Object> event) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(event).post(EVENTS);
    }

    private static Response postBatch(String token, List<Map<String, Object>> events) {
        return given().auth()
                .oauth2(token)
                .contentType("application/cloudevents-batch+json")
                .body(structured(events))
                .post(EVENTS);
    }
}
