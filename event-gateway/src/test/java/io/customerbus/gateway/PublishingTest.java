package io.customerbus.gateway;

import static io.customerbus.gateway.support.Events.idOf;
import static io.customerbus.gateway.support.Events.signUp;
import static io.customerbus.gateway.support.Events.structured;
import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.json.CustomerEventCodec;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.testing.BusProbe;
import io.customerbus.gateway.support.Events;
import io.customerbus.gateway.support.PublisherTokens;
import io.customerbus.gateway.support.Sentinel;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every form a publisher may send, on the real bus: key, CloudEvents headers, body, source. */
@QuarkusTest
class PublishingTest {

    static final String EVENTS = "/api/events/v1/events";
    static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String accounts = "accounts-" + UUID.randomUUID();
    private final String token =
            PublisherTokens.publisher(accounts, "account-created", "product-use");
    private final String user = "user-" + UUID.randomUUID();
    private BusProbe bus;

    @Inject DataSource dataSource;

    @BeforeEach
    void openBus() {
        bus = new BusProbe();
    }

    @AfterEach
    void closeBus() {
        bus.close();
    }

    @Test
    void commonJsonEventIsPublishedOnceUnderTheTokensNameWithKeyHeadersAndTrace() {
        Map<String, Object> signUp = signUp(user);

        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .header("traceparent", TRACEPARENT)
                .body(signUp)
                .post(EVENTS)
                .then()
                .statusCode(202)
                .body("eventId", equalTo(signUp.get("eventId")))
                .body("eventType", equalTo("account-created"))
                .body("source", equalTo(accounts));

        ConsumerRecord<String, byte[]> record = theOnlyRecordOf(idOf(signUp));
        assertThat(record.key()).isEqualTo(user);
        assertThat(BusHeaders.text(record.headers(), "ce_type")).isEqualTo("account-created");
        assertThat(BusHeaders.text(record.headers(), "ce_source")).isEqualTo(accounts);
        assertThat(BusHeaders.text(record.headers(), "ce_subject")).isEqualTo(user);
        assertThat(BusHeaders.text(record.headers(), "traceparent")).isEqualTo(TRACEPARENT);
        CustomerEvent event = CustomerEventCodec.decode(record.value());
        assertThat(event.source()).as("the token's name, not the body's").isEqualTo(accounts);
        assertThat(event.dataText("email")).isEqualTo(user + "@example.com");
        assertThat(event.occurredAt()).isEqualTo(signUp.get("occurredAt").toString());
        // Headers and record time come from the attributes stored beside the body: the same.
        assertThat(Instant.parse(BusHeaders.text(record.headers(), "ce_time")))
                .isEqualTo(event.occurredAt());
        assertThat(record.timestamp()).isEqualTo(event.occurredAt().toEpochMilli());
        assertThat(BusHeaders.text(record.headers(), "ce_id")).isEqualTo(idOf(signUp).toString());
    }

    @Test
    void structuredCloudEventIsPublished() {
        Map<String, Object> use =
                Events.event(
                        "product-use",
                        user,
                        "prod-456",
                        Map.of(
                                "feature",
                                "export",
                                "minutes",
                                12,
                                "meterReading",
                                new java.math.BigDecimal("1234567890123456.78")));

        post("application/cloudevents+json; charset=utf-8", structured(use))
                .then()
                .statusCode(202)
                .body("eventId", equalTo(use.get("eventId")));

        CustomerEvent event = CustomerEventCodec.decode(theOnlyRecordOf(idOf(use)).value());
        assertThat(event.eventType()).isEqualTo("product-use");
        assertThat(event.source()).isEqualTo(accounts);
        assertThat(event.dataDecimal("minutes")).isEqualByComparingTo("12");
        assertThat(event.dataDecimal("meterReading"))
                .as("exact, not through a double")
                .isEqualByComparingTo("1234567890123456.78");
    }

    @Test
    void binaryCloudEventIsPublished() {
        Map<String, Object> signUp = signUp(user);

        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .header("ce-specversion", "1.0")
                .header("ce-id", signUp.get("eventId"))
                .header("ce-type", "account-created")
                .header("ce-source", "/accounts")
                .header("ce-subject", user)
                .body(signUp)
                .post(EVENTS)
                .then()
                .statusCode(202)
                .body("source", equalTo(accounts));

        assertThat(theOnlyRecordOf(idOf(signUp)).key()).isEqualTo(user);
    }

    @Test
    void binaryModeAttributesArePercentDecodedAsTheHttpBindingSays() {
        // A header holds printable ASCII only: senders percent-encode the UTF-8 of the rest.
        String customer = "José Ünal " + UUID.randomUUID();
        Map<String, Object> signUp = signUpOf(customer);
        String encoded = URLEncoder.encode(customer, UTF_8).replace("+", "%20");

        binary(signUp, encoded).then().statusCode(202);
        // An older sender's quoted string is taken too.
        Map<String, Object> quoted = signUpOf(customer);
        binary(quoted, "\"" + customer.replace("é", "%C3%A9").replace("Ü", "%C3%9C") + "\"")
                .then()
                .statusCode(202);

        binary(signUpOf(customer), "Jos%C0%A0")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("ce-subject"))
                .body("violations[0].message", containsString("not percent-encoded UTF-8"));
        binary(signUpOf(customer), "100%")
                .then()
                .statusCode(400)
                .body("violations[0].message", containsString("send %25"));
        // One customer, one partition, commit order: once the second is there, so is the first.
        await("both on the bus")
                .atMost(Duration.ofSeconds(30))
                .until(() -> bus.recordsOf(idOf(quoted)).size() == 1);
        assertThat(bus.recordsOf(idOf(signUp)))
                .singleElement()
                .satisfies(record -> assertThat(record.key()).isEqualTo(customer));
    }

    /** A sign-up of a customer whose id is no email address. */
    private static Map<String, Object> signUpOf(String customer) {
        return Events.event(
                "account-created", customer, Map.of("email", "jose@example.com", "name", "José"));
    }

    private Response binary(Map<String, Object> event, String subjectHeader) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .header("ce-specversion", "1.0")
                .header("ce-id", event.get("eventId"))
                .header("ce-type", event.get("eventType"))
                .header("ce-source", "/accounts")
                .header("ce-subject", subjectHeader)
                .body(event)
                .post(EVENTS);
    }

    @Test
    void batchIsPublishedWholeWithAReceiptPerEventInOrder() {
        List<Map<String, Object>> events =
                List.of(
                        signUp(user),
                        signUp(user + "-2"),
                        Events.event("product-use", user, "prod-456", Map.of()));

        Response answer = postBatch(structured(events));

        answer.then().statusCode(202).body("events", hasSize(3));
        assertThat(answer.jsonPath().getList("events.eventId"))
                .containsExactly(events.stream().map(e -> e.get("eventId")).toArray());
        for (Map<String, Object> event : events) {
            Sentinel.flush(bus, token, (String) event.get("userId"));
            assertThat(bus.recordsOf(idOf(event))).hasSize(1);
        }
    }

    @Test
    void batchOfOneCustomerReachesTheBusInTheRequestsOrder() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(Events.event("product-use", user, "prod-" + i, Map.of("minutes", i)));
        }

        postBatch(structured(events)).then().statusCode(202);

        Sentinel.flush(bus, token, user);
        assertThat(
                        bus.recordsWithKey(user).stream()
                                .map(record -> BusHeaders.text(record.headers(), "ce_id"))
                                .limit(events.size()))
                .as("one customer's partition, in the batch's order")
                .containsExactlyElementsOf(
                        events.stream().map(e -> (String) e.get("eventId")).toList());
    }

    @Test
    void timeFinerThanMicrosecondsIsOnTheBusExactly() {
        Map<String, Object> signUp = signUp(user);
        signUp.put("occurredAt", "2026-12-06T05:30:01.123456789Z");

        post("application/json", signUp).then().statusCode(202);

        ConsumerRecord<String, byte[]> record = theOnlyRecordOf(idOf(signUp));
        Instant time = Instant.parse("2026-12-06T05:30:01.123456789Z");
        assertThat(CustomerEventCodec.decode(record.value()).occurredAt()).isEqualTo(time);
        assertThat(Instant.parse(BusHeaders.text(record.headers(), "ce_time")))
                .as("not rounded to the outbox column's microseconds")
                .isEqualTo(time);
    }

    @Test
    void rowOfAnOlderOutboxWriterIsPublishedFromItsPayload() throws SQLException {
        // Written as an outbox writer from before the source and occurred_at columns did: the
        // relay takes the attributes from the payload. Slot 0: this test's one relay owns them all.
        CustomerEvent event =
                new CustomerEvent(
                        UUID.randomUUID(),
                        "account-created",
                        user,
                        null,
                        Instant.parse("2026-12-06T05:30:02.250Z"),
                        accounts,
                        1,
                        Map.of("email", user + "@example.com", "name", "Ada"));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert =
                        connection.prepareStatement(
                                "INSERT INTO customer_event_outbox"
                                        + " (event_id, event_type, user_id, slot, payload)"
                                        + " VALUES (?, ?, ?, 0, ?)")) {
            insert.setObject(1, event.eventId());
            insert.setString(2, event.eventType());
            insert.setString(3, user);
            insert.setString(4, new String(CustomerEventCodec.encode(event), UTF_8));
            insert.executeUpdate();
        }

        await("the row on the bus")
                .atMost(Duration.ofSeconds(30))
                .until(() -> !bus.recordsOf(event.eventId()).isEmpty());
        ConsumerRecord<String, byte[]> record = bus.recordsOf(event.eventId()).get(0);
        assertThat(record.key()).isEqualTo(user);
        assertThat(BusHeaders.text(record.headers(), "ce_source")).isEqualTo(accounts);
        assertThat(BusHeaders.text(record.headers(), "ce_type")).isEqualTo("account-created");
        assertThat(Instant.parse(BusHeaders.text(record.headers(), "ce_time")))
                .isEqualTo(event.occurredAt());
        assertThat(record.timestamp()).isEqualTo(event.occurredAt().toEpochMilli());
        assertThat(CustomerEventCodec.decode(record.value())).isEqualTo(event);
    }

    @Test
    void aBacklogOfLargeEventsGoesOutAFewAtATimeInOrder() throws SQLException {
        // Six events of ~300 KB committed together, as a backlog builds up while Kafka is away:
        // read 500 rows at a time they were one transaction of 1.8 MB (of events that may each be
        // near 1 MB: a backlog of them took the relay's heap several times over). With the test's
        // 512 KiB per batch the relay sends them two at a time. Slot 0: this test's one relay owns
        // every slot.
        String note = "n".repeat(300_000);
        List<CustomerEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(
                    new CustomerEvent(
                            UUID.randomUUID(),
                            "account-created",
                            user,
                            null,
                            Instant.parse("2026-12-07T23:00:00Z").plusSeconds(i),
                            accounts,
                            1,
                            Map.of("email", user + "@example.com", "name", "Ada", "note", note)));
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert =
                    connection.prepareStatement(
                            "INSERT INTO customer_event_outbox (event_id, event_type, user_id,"
                                    + " slot, payload, source, occurred_at)"
                                    + " VALUES (?, ?, ?, 0, ?, ?, ?)")) {
                for (CustomerEvent event : events) {
                    insert.setObject(1, event.eventId());
                    insert.setString(2, event.eventType());
                    insert.setString(3, user);
                    insert.setString(4, new String(CustomerEventCodec.encode(event), UTF_8));
                    insert.setString(5, accounts);
                    insert.setObject(6, event.occurredAt().atOffset(java.time.ZoneOffset.UTC));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }

        await("every event on the bus")
                .atMost(Duration.ofSeconds(60))
                .until(() -> events.stream().allMatch(e -> !bus.recordsOf(e.eventId()).isEmpty()));
        List<Long> offsets =
                events.stream().map(e -> bus.recordsOf(e.eventId()).get(0).offset()).toList();
        assertThat(offsets).as("one customer: one partition, in order").isSorted();
        // A transaction's commit marker takes the offset after its records on each partition:
        // three of these events at consecutive offsets went out in one transaction.
        for (int i = 0; i + 2 < offsets.size(); i++) {
            assertThat(offsets.get(i + 2) - offsets.get(i))
                    .as("events %d to %d (offsets %s) in one transaction", i, i + 2, offsets)
                    .isGreaterThan(2);
        }
    }

    @Test
    void eventsNoStoreCouldHoldAreRefusedNamingTheField() throws Exception {
        // Accepted, each of these stopped a subscriber or the relay for good (CarriageRules).
        Map<String, Object> good = signUp(user);
        Map<String, Object> nul =
                Events.event(
                        "account-created",
                        user,
                        Map.of("email", user + "@example.com", "name", "NUL"));
        Map<String, Object> surrogate = signUp(user + "SURROGATE");
        Map<String, Object> before1970 = signUp(user);
        before1970.put("occurredAt", "1969-12-31T23:59:59Z");
        String body =
                JSON.writeValueAsString(structured(List.of(good, nul, surrogate, before1970)))
                        .replace("NUL", "A\\u0000da")
                        .replace("SURROGATE", "\\ud800");

        postBatch(body)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "violations.collect { it.index + ' ' + it.field + ' ' + it.rule }",
                        hasItems(
                                "1 data.name characters",
                                "2 userId characters",
                                "3 occurredAt minimum"))
                .body("violations.index", everyItem(greaterThan(0)));

        Sentinel.flush(bus, token, user);
        assertThat(bus.recordsOf(idOf(good))).as("nothing of a refused batch").isEmpty();
    }

    @Test
    void aRowTheRelayCannotSendIsReportedAndTheRelayCarriesOnOnceItIsGone() throws Exception {
        // Written before the writers refused such times: the record cannot be made. The relay
        // must neither die (its connection would keep the slots' locks) nor hide the failure.
        UUID poison = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert =
                        connection.prepareStatement(
                                "INSERT INTO customer_event_outbox (event_id, event_type, user_id,"
                                        + " slot, payload, source, occurred_at) VALUES (?,"
                                        + " 'account-created', ?, 0, '{}', ?,"
                                        + " '1969-12-31T23:59:59Z')")) {
            insert.setObject(1, poison);
            insert.setString(2, user);
            insert.setString(3, accounts);
            insert.executeUpdate();
        }
        try {
            awaitRelayFailure("Invalid timestamp");
        } finally {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement delete =
                            connection.prepareStatement(
                                    "DELETE FROM customer_event_outbox WHERE event_id = ?")) {
                delete.setObject(1, poison);
                delete.executeUpdate();
            }
        }

        Sentinel.flush(bus, token, user);
        assertThat(bus.recordsOf(poison)).isEmpty();
    }

    @Test
    void theRelayHoldsItsSlotsOnASessionOfItsOwnAlsoAfterAnError() throws Exception {
        // The slots' locks, and synchronous_commit = off, are the relay session's: on a pooled
        // connection they went back to the pool with it after an error, for requests to inherit.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> slotHolders().equals(List.of("outbox-relay")));

        // An error on the relay's session: its read of the outbox, held up by a lock, cancelled.
        try (Connection locker = dataSource.getConnection();
                Statement statement = locker.createStatement()) {
            locker.setAutoCommit(false);
            statement.execute("LOCK TABLE customer_event_outbox IN ACCESS EXCLUSIVE MODE");
            int relay =
                    await("the relay waiting for the table")
                            .atMost(Duration.ofSeconds(30))
                            .until(this::backendWaitingForTheOutbox, pid -> pid > 0);
            statement.execute("SELECT pg_cancel_backend(" + relay + ")");
            locker.rollback();
        }
        awaitRelayFailure("canceling statement");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> slotHolders().equals(List.of("outbox-relay")));
        Map<String, Object> after = signUp(user);
        post("application/json", after).then().statusCode(202);
        assertThat(theOnlyRecordOf(idOf(after)).key()).isEqualTo(user);
        // Every pooled connection commits as the server is configured: none inherited the relay's
        // asynchronous commits.
        for (int i = 0; i < 5; i++) {
            try (Connection pooled = dataSource.getConnection();
                    Statement show = pooled.createStatement();
                    ResultSet setting = show.executeQuery("SHOW synchronous_commit")) {
                setting.next();
                assertThat(setting.getString(1)).isEqualTo("on");
            }
        }
    }

    /** The relay's last failure, as the readiness check shows it, mentions {@code what}. */
    private static void awaitRelayFailure(String what) {
        await("the relay's failure in the readiness check")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                given().get("/q/health/ready")
                                        .then()
                                        .body(
                                                "checks.find { it.name == 'customer-event"
                                                        + " outbox' }.data.lastFailure",
                                                containsString(what)));
    }

    private int backendWaitingForTheOutbox() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet waiting =
                        statement.executeQuery(
                                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                                        + " AND wait_event_type = 'Lock'"
                                        + " AND query LIKE '%customer_event_outbox%'")) {
            return waiting.next() ? waiting.getInt(1) : 0;
        }
    }

    /**
     * The sessions holding the outbox's slot locks (OutboxStore's namespace, 0x0B050B06), by name.
     */
    private List<String> slotHolders() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet holders =
                        statement.executeQuery(
                                "SELECT DISTINCT a.application_name FROM pg_locks l"
                                        + " JOIN pg_stat_activity a ON a.pid = l.pid"
                                        + " WHERE l.locktype = 'advisory' AND l.granted"
                                        + " AND l.classid = 184879878 AND l.objsubid = 2"
                                        + " AND a.datname = current_database()")) {
            List<String> names = new ArrayList<>();
            while (holders.next()) {
                names.add(holders.getString(1));
            }
            return names;
        }
    }

    @Test
    void batchWithInvalidEventsNamesEachViolationAndWritesNothing() {
        Map<String, Object> good = signUp(user);
        Map<String, Object> noUser = signUp(user);
        noUser.remove("userId");
        noUser.remove("occurredAt");
        Map<String, Object> contradicting = structured(signUp(user));
        contradicting.put("id", UUID.randomUUID().toString());

        postBatch(List.of(structured(good), structured(noUser), contradicting))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        equalTo("2 of the batch's events break the contract; none was accepted"))
                .body("violations", hasSize(3))
                .body("violations.findAll { it.index == 1 }.rule", contains("required", "required"))
                .body(
                        "violations.findAll { it.index == 1 }.message.join(' ')",
                        allOf(containsString("userId"), containsString("occurredAt")))
                .body("violations[2].index", equalTo(2))
                .body("violations[2].field", equalTo("id"))
                .body("violations[2].rule", equalTo("consistency"));
        // Counted per event, not per violation: the batch's three, the valid one too — none was
        // accepted.
        assertThat(given().get("/q/metrics").asString())
                .contains(
                        "gateway_events_total{outcome=\"invalid\",publisher=\""
                                + accounts
                                + "\",type=\"unknown\"} 3.0");

        Sentinel.flush(bus, token, user);
        assertThat(bus.recordsOf(idOf(good))).as("nothing of a refused batch").isEmpty();
    }

    @Test
    void invalidSingleEventIsProblemJsonNamingTheField() {
        Map<String, Object> event = signUp(user);
        event.put("occurredAt", "yesterday");

        post("application/json", event)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("occurredAt"));
        Sentinel.flush(bus, token, user);
        assertThat(bus.recordsOf(idOf(event))).isEmpty();
    }

    @Test
    void eventFromFurtherAheadThanTheBrokerTakesIsRefusedAndBlocksNothing() {
        // The broker refuses records more than an hour ahead of its clock: accepted, such an event
        // could never be delivered, and the relay would retry it before every later one.
        Map<String, Object> good = signUp(user);
        Map<String, Object> ahead = signUp(user);
        ahead.put("occurredAt", Instant.now().plus(Duration.ofHours(2)).toString());

        postBatch(structured(List.of(good, ahead)))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        equalTo("1 of the batch's events breaks the contract; none was accepted"))
                .body("violations", hasSize(1))
                .body("violations[0].index", equalTo(1))
                .body("violations[0].field", equalTo("occurredAt"))
                .body("violations[0].rule", equalTo("future"))
                .body("violations[0].message", containsString("ahead of the gateway's clock"));

        Sentinel.flush(bus, token, user);
        assertThat(bus.recordsOf(idOf(good))).as("nothing of a refused batch").isEmpty();
    }

    @Test
    void malformedJsonAndUnknownMediaTypesAreProblemJson() {
        post("application/json", "{\"eventId\": ")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].rule", equalTo("json"));
        post("application/json", "")
                .then()
                .statusCode(400)
                .body("violations[0].rule", equalTo("json"))
                .body("violations[0].message", equalTo("empty: there is no JSON to read"));
        post("application/xml", "<event/>")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("detail", containsString("not 'application/xml"));
        assertThat(given().get("/q/metrics").asString())
                .as("the empty body, the cut one and the XML")
                .contains(
                        "gateway_events_total{outcome=\"invalid\",publisher=\""
                                + accounts
                                + "\",type=\"unknown\"} 3.0");
        post(
                        "application/cloudevents+json",
                        Map.of("specversion", "1.0", "type", "account-created"))
                .then()
                .statusCode(400)
                .body("violations[0].rule", equalTo("cloudevents"));
        for (String notAnEvent : List.of("null", "\"event\"", "42", "[]")) {
            post("application/cloudevents+json", notAnEvent)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("violations[0].rule", equalTo("cloudevents"));
        }
    }

    @Test
    void aDataContentTypeOtherThanJsonIsRefusedAtOnceHoweverLong() {
        // The CloudEvents SDK matches the type against a pattern that backtracks: one of 400,000
        // characters with a line break took it many minutes of a core. Now it is refused first.
        Map<String, Object> longType = structured(signUp(user));
        longType.put("datacontenttype", "application/json" + ";a".repeat(200_000) + "\n");
        Map<String, Object> notJson = structured(signUp(user));
        notJson.put("datacontenttype", "text/plain");
        Map<String, Object> accepted = signUp(user);
        Map<String, Object> withCharset = structured(accepted);
        withCharset.put("datacontenttype", "application/json; charset=utf-8");

        assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> {
                    post("application/cloudevents+json", longType)
                            .then()
                            .statusCode(400)
                            .contentType("application/problem+json")
                            .body("violations", hasSize(1))
                            .body("violations[0].field", equalTo("datacontenttype"))
                            .body("violations[0].rule", equalTo("contentType"))
                            .body(
                                    "violations[0].message",
                                    allOf(
                                            startsWith(
                                                    "the data must be application/json, not"
                                                            + " application/json;a;a"),
                                            endsWith("... (400017 characters)")));
                    postBatch(List.of(withCharset, notJson, longType))
                            .then()
                            .statusCode(400)
                            .body("violations.index", contains(1, 2))
                            .body("violations.field", everyItem(equalTo("datacontenttype")));
                });
        Sentinel.flush(bus, token, user);
        assertThat(bus.recordsOf(idOf(accepted))).as("nothing of a refused batch").isEmpty();

        post("application/cloudevents+json", withCharset).then().statusCode(202);
    }

    @Test
    void batchCutShortOrHoldingANonEventIsRefusedWhole() throws Exception {
        // The gateway reads a batch as it streams: a syntax error after valid items must still
        // refuse the whole body, and an item that is no object must be named by its index.
        Map<String, Object> good = signUp(user);
        String first = JSON.writeValueAsString(structured(good));

        postBatch("[" + first + ", {\"specversion\": ")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("the batch is not valid JSON"))
                .body("violations", hasSize(1))
                .body("violations[0].rule", equalTo("json"));
        postBatch("[" + first + ", 42, [\"a\"]]")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        equalTo("2 of the batch's events break the contract; none was accepted"))
                .body("violations.index", contains(1, 2))
                .body("violations.rule", contains("cloudevents", "cloudevents"))
                .body("violations[0].message", containsString("not a number"))
                .body("violations[1].message", containsString("not an array"));
        // Past the parser's nesting limit inside an item: the body is unreadable as a whole.
        String deep = "[".repeat(1_100) + "]".repeat(1_100);
        postBatch("[" + first + ", {\"specversion\": \"1.0\", \"data\": " + deep + "}]")
                .then()
                .statusCode(400)
                .body("violations", hasSize(1))
                .body("violations[0].rule", equalTo("json"))
                .body("violations[0].message", containsString("nesting depth"));
        post("application/cloudevents+json", first.substring(0, first.length() - 1))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].rule", equalTo("json"));

        Sentinel.flush(bus, token, user);
        assertThat(bus.recordsOf(idOf(good))).as("nothing of a refused batch").isEmpty();
    }

    @Test
    void whatFollowsTheEventOrTheBatchIsRefusedNotDropped() throws Exception {
        Map<String, Object> first = signUp(user);
        Map<String, Object> second = signUp(user);
        String one = JSON.writeValueAsString(first);
        String other = JSON.writeValueAsString(second);
        String ceOne = JSON.writeValueAsString(structured(first));
        String ceOther = JSON.writeValueAsString(structured(second));

        // NDJSON is not a batch: each form takes one JSON value.
        post("application/json", one + "\n" + other)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].rule", equalTo("json"));
        post("application/cloudevents+json", ceOne + "\n" + ceOther)
                .then()
                .statusCode(400)
                .body("violations[0].rule", equalTo("json"))
                .body("violations[0].message", containsString("goes on after the CloudEvent"));
        postBatch("[" + ceOne + "] [" + ceOther + "]")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("goes on after the batch's array"));

        Sentinel.flush(bus, token, user);
        assertThat(bus.recordsOf(idOf(first))).isEmpty();
        assertThat(bus.recordsOf(idOf(second))).isEmpty();
    }

    @Test
    void bytesInNoEncodingTheParserReadsAreABadRequest() {
        for (byte[] body :
                new byte[][] {{0, 0, (byte) 0xff, (byte) 0xfe}, {0, '[', 0, 0}, {0, '{', 0, 0}}) {
            for (String type :
                    List.of("application/cloudevents-batch+json", "application/cloudevents+json")) {
                given().auth()
                        .oauth2(token)
                        .contentType(type)
                        .body(body)
                        .post(EVENTS)
                        .then()
                        .statusCode(400)
                        .contentType("application/problem+json")
                        .body("violations[0].rule", equalTo("json"));
            }
        }
    }

    @Test
    void anIdInUpperCaseIsTheSameEventAndATimeContradictingOccurredAtIsRefused() {
        Map<String, Object> signUp = signUp(user);
        Map<String, Object> shouted = new java.util.HashMap<>(structured(signUp));
        String upper = signUp.get("eventId").toString().toUpperCase(java.util.Locale.ROOT);
        shouted.put("id", upper);
        Map<String, Object> data = new java.util.HashMap<>(signUp);
        data.put("eventId", upper);
        shouted.put("data", data);

        post("application/cloudevents+json", shouted).then().statusCode(202);
        // The same event with its id in lower case is a retry, not other content.
        post("application/cloudevents+json", structured(signUp)).then().statusCode(202);
        assertThat(theOnlyRecordOf(idOf(signUp)).key()).isEqualTo(user);

        Map<String, Object> late = signUp(user);
        Map<String, Object> contradicted = new java.util.HashMap<>(structured(late));
        contradicted.put("time", "2001-01-01T00:00:00Z");
        post("application/cloudevents+json", contradicted)
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("time"))
                .body("violations[0].rule", equalTo("consistency"));
    }

    /** A batch as a publisher posts it: a list of structured CloudEvents, or raw JSON text. */
    private Response postBatch(Object body) {
        return post("application/cloudevents-batch+json", body);
    }

    private Response post(String contentType, Object body) {
        RequestSpecification request = given().auth().oauth2(token).contentType(contentType);
        // Text goes as it is (it may be broken JSON on purpose); anything else as JSON.
        return (body instanceof String text ? request.body(text) : request.body(body)).post(EVENTS);
    }

    /** The event's one record on the bus (every test here publishes for {@code user}). */
    private ConsumerRecord<String, byte[]> theOnlyRecordOf(UUID eventId) {
        Sentinel.flush(bus, token, user);
        List<ConsumerRecord<String, byte[]>> records = bus.recordsOf(eventId);
        assertThat(records).as("records of " + eventId).hasSize(1);
        return records.get(0);
    }
}
