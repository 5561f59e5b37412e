package io.customerbus.crm;

import static io.customerbus.crm.support.Tokens.agent;
import static io.customerbus.crm.support.Tokens.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.customerbus.crm.service.TimelineWriter;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.json.CustomerEventCodec;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.BusProbe;
import io.customerbus.events.testing.BusPublisher;
import io.customerbus.events.testing.RawBytes;
import io.customerbus.events.testing.TestRecords;
import io.customerbus.runtime.subscriber.BusEvent;
import io.customerbus.runtime.subscriber.DeadLetters;
import io.customerbus.runtime.subscriber.PoisonEventException;
import io.opentelemetry.api.trace.Span;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Events published on the real bus, read back through the CRM's API. */
@QuarkusTest
class CrmTimelineTest {

    private static final String CUSTOMERS = "/api/crm/v1/customers/";

    @Inject TimelineWriter timeline;

    private final CustomerEventFactory shop = new CustomerEventFactory("purchase-service");
    private final CustomerEventFactory support = new CustomerEventFactory("crm-subscriber");
    private final BusPublisher bus = new BusPublisher();
    private final String user = "crm-" + UUID.randomUUID();

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void everyEventTypeBuildsTheProfileAndTheTimeline() throws Exception {
        UUID firstPurchase = UUID.randomUUID();
        UUID secondPurchase = UUID.randomUUID();
        publish(purchase(firstPurchase, "prod-a", 3, "9.99", "EUR"));
        publish(purchase(secondPurchase, "prod-b", 1, "5.00", "USD"));
        publish(
                shop.create(
                        EventTypes.REFUND,
                        user,
                        "prod-b",
                        Map.of(
                                "purchaseId",
                                secondPurchase.toString(),
                                "quantity",
                                1,
                                "amount",
                                new BigDecimal("5.00"),
                                "currency",
                                "USD")));
        publish(
                shop.create(
                        EventTypes.PRODUCT_TRANSFER,
                        user,
                        "prod-a",
                        Map.of("toUserId", "friend-of-" + user)));
        publish(shop.create(EventTypes.PRODUCT_USE, user, "prod-a", null));
        publish(
                support.create(
                        EventTypes.SUPPORT_CALL,
                        user,
                        null,
                        Map.of(
                                "callId",
                                UUID.randomUUID().toString(),
                                "channel",
                                "phone",
                                "summary",
                                "asked about prod-a")));
        publish(shop.create("loyalty-points-earned", user, null, Map.of("points", 10)));

        awaitEventCount(7);
        given().auth()
                .oauth2(agent())
                .get(CUSTOMERS + user)
                .then()
                .statusCode(200)
                .body("eventsByType.purchase", equalTo(2))
                .body("eventsByType.'loyalty-points-earned'", equalTo(1))
                .body("totalSpent.EUR", equalTo(29.97f))
                .body("totalSpent.USD", equalTo(0.0f))
                .body("productsOwned", equalTo(Map.of("prod-a", 2)))
                .body("lastContact", org.hamcrest.Matchers.notNullValue());
        given().auth()
                .oauth2(agent())
                .queryParam("size", 3)
                .get(CUSTOMERS + user + "/timeline")
                .then()
                .statusCode(200)
                .body("total", equalTo(7))
                .body("items.size()", equalTo(3))
                .body("items[0].eventType", equalTo("loyalty-points-earned"));
        given().auth()
                .oauth2(agent())
                .queryParam("type", "purchase")
                .get(CUSTOMERS + user + "/timeline")
                .then()
                .body("total", equalTo(2));
    }

    @Test
    void pagesFollowOnWhereTheLastEndedWhileNewEventsArrive() throws Exception {
        // A second apart, so that the timeline's order is the products' order.
        Instant start = Instant.now().minusSeconds(60);
        for (int i = 1; i <= 5; i++) {
            publish(used("p-" + i, start.plusSeconds(i)));
        }
        awaitEventCount(5);
        JsonPath first = timelinePage(null);
        assertThat(first.getList("items.productId")).containsExactly("p-5", "p-4");
        String next = first.getString("next");
        assertThat(next).isNotBlank();

        // A newer event arrives on top while the agent reads: counting pages from the top would
        // now show p-4 a second time.
        publish(used("p-6", start.plusSeconds(30)));
        awaitEventCount(6);
        JsonPath second = timelinePage(next);
        assertThat(second.getList("items.productId")).containsExactly("p-3", "p-2");
        assertThat(second.getLong("total")).isEqualTo(6);
        JsonPath last = timelinePage(second.getString("next"));
        assertThat(last.getList("items.productId")).containsExactly("p-1");
        assertThat(last.getString("next")).isNull();

        // Not a cursor, and a made-up one of a time the database has no timestamp for.
        for (String after :
                List.of(
                        "not-a-cursor",
                        Base64.getUrlEncoder()
                                .encodeToString(
                                        ("-9999-01-01T00:00:00Z|" + new UUID(0, 0))
                                                .getBytes(StandardCharsets.UTF_8)))) {
            given().auth()
                    .oauth2(agent())
                    .queryParam("after", after)
                    .get(CUSTOMERS + user + "/timeline")
                    .then()
                    .statusCode(400)
                    .contentType(containsString("application/problem+json"))
                    .body("detail", containsString("'after' takes the 'next' of a timeline page"));
        }
    }

    private CustomerEvent used(String product, Instant at) {
        return new CustomerEventFactory("devices", Clock.fixed(at, ZoneOffset.UTC))
                .create(EventTypes.PRODUCT_USE, user, product, null);
    }

    private JsonPath timelinePage(String after) {
        var request = given().auth().oauth2(agent()).queryParam("size", 2);
        if (after != null) {
            request.queryParam("after", after);
        }
        return request.get(CUSTOMERS + user + "/timeline")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void valuesTheSchemaLeavesOpenNeverBreakTheProfileOrTheTimeline() throws Exception {
        // A transfer's quantity has no type in the schema: the text "2" counts two, "two" counts
        // as none given (one).
        publish(purchase(UUID.randomUUID(), "prod-t", 4, "1.00", "EUR"));
        for (String quantity : List.of("two", "2")) {
            publish(
                    shop.create(
                            EventTypes.PRODUCT_TRANSFER,
                            user,
                            "prod-t",
                            Map.of("toUserId", "friend-of-" + user, "quantity", quantity)));
        }
        // The longest fraction the carriage rules allow, which jsonb gives back written out.
        BigDecimal tiny = new BigDecimal("1e-1000");
        publish(shop.create(EventTypes.PRODUCT_USE, user, "prod-t", Map.of("load", tiny)));

        awaitEventCount(4);
        given().auth()
                .oauth2(agent())
                .get(CUSTOMERS + user)
                .then()
                .statusCode(200)
                .body("productsOwned", equalTo(Map.of("prod-t", 1)));
        given().auth()
                .oauth2(agent())
                .get(CUSTOMERS + user + "/timeline")
                .then()
                .statusCode(200)
                .body("total", equalTo(4))
                .body("items[0].eventType", equalTo(EventTypes.PRODUCT_USE));
    }

    @Test
    void aRedeliveredEventChangesNothing() throws Exception {
        CustomerEvent purchase = purchase(UUID.randomUUID(), "prod-c", 1, "10.00", "EUR");
        publish(purchase);
        publish(purchase);
        publish(shop.create(EventTypes.PRODUCT_USE, user, "prod-c", null));

        awaitEventCount(2);
        given().auth()
                .oauth2(agent())
                .get(CUSTOMERS + user)
                .then()
                .body("eventsByType.purchase", equalTo(1))
                .body("totalSpent.EUR", equalTo(10.0f));
    }

    @Test
    void aPoisonRecordIsDeadLetteredWithItsReasonAndConsumptionGoesOn() throws Exception {
        CustomerEvent valid = purchase(UUID.randomUUID(), "prod-d", 1, "1.00", "EUR");
        ProducerRecord<String, byte[]> poison =
                BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, valid, Optional.empty());
        ProducerRecord<String, byte[]> broken =
                new ProducerRecord<>(
                        poison.topic(),
                        null,
                        user,
                        "{not json".getBytes(StandardCharsets.UTF_8),
                        poison.headers());
        ConsumerRecord<String, byte[]> letter;
        try (BusProbe dlq = new BusProbe(BusTopics.deadLetter("crm"))) {
            var sent = bus.send(broken);
            publish(shop.create(EventTypes.PRODUCT_USE, user, "prod-d", null));

            awaitEventCount(1);
            letter =
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> dlq.recordsOf(valid.eventId()), r -> !r.isEmpty())
                            .get(0);
            assertThat(BusHeaders.text(letter.headers(), DeadLetters.ORIGINAL_OFFSET))
                    .isEqualTo(Long.toString(sent.offset()));
        }
        assertThat(letter.key()).isEqualTo(user);
        assertThat(BusHeaders.text(letter.headers(), DeadLetters.REASON))
                .contains("not valid JSON");
        assertThat(BusHeaders.text(letter.headers(), DeadLetters.SUBSCRIBER)).isEqualTo("crm");
        assertThat(BusHeaders.text(letter.headers(), BusHeaders.CE_ID))
                .isEqualTo(valid.eventId().toString());
    }

    @Test
    void anEventNoDatabaseCanHoldIsDeadLetteredNotRetriedForEver() throws Exception {
        // Valid JSON and schema, put on the bus before the writers refused it: PostgreSQL refuses
        // U+0000 in text and jsonb, so applying it would fail on every attempt, holding up the
        // partition for good.
        CustomerEvent valid = purchase(UUID.randomUUID(), "prod-e", 1, "1.00", "EUR");
        ProducerRecord<String, byte[]> encoded =
                BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, valid, Optional.empty());
        byte[] withNul =
                new String(encoded.value(), StandardCharsets.UTF_8)
                        .replace("\"prod-e\"", "\"prod-\\u0000e\"")
                        .getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<String, byte[]> letter;
        try (BusProbe dlq = new BusProbe(BusTopics.deadLetter("crm"))) {
            bus.send(new ProducerRecord<>(encoded.topic(), null, user, withNul, encoded.headers()));
            publish(shop.create(EventTypes.PRODUCT_USE, user, "prod-e", null));

            awaitEventCount(1);
            letter =
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> dlq.recordsOf(valid.eventId()), r -> !r.isEmpty())
                            .get(0);
        }
        assertThat(BusHeaders.text(letter.headers(), DeadLetters.REASON))
                .contains("productId")
                .contains("U+0000");
    }

    @Test
    void bytesThatAreNotUtf8AreDeadLetteredAndTheRestOfTheBatchStored() throws Exception {
        // An overlong "/" in a name: the JSON parser reads it, but the CRM keeps an event's bytes
        // as they came, and PostgreSQL refuses them. Sent between two good events, together.
        CustomerEvent signUp = signUpNamed("MARKER");
        ProducerRecord<String, byte[]> encoded =
                BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, signUp, Optional.empty());
        byte[] overlong =
                RawBytes.replacing(
                        new String(encoded.value(), StandardCharsets.UTF_8),
                        "MARKER",
                        RawBytes.overlongSlash());
        ConsumerRecord<String, byte[]> letter;
        try (BusProbe dlq = new BusProbe(BusTopics.deadLetter("crm"))) {
            bus.send(
                    List.of(
                            record(shop.create(EventTypes.PRODUCT_USE, user, "prod-b", null)),
                            new ProducerRecord<>(
                                    encoded.topic(), null, user, overlong, encoded.headers()),
                            record(shop.create(EventTypes.PRODUCT_USE, user, "prod-a", null))));

            awaitEventCount(2);
            letter =
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> dlq.recordsOf(signUp.eventId()), r -> !r.isEmpty())
                            .get(0);
        }
        assertThat(BusHeaders.text(letter.headers(), DeadLetters.REASON)).contains("not UTF-8");
    }

    @Test
    void aValueTheDatabaseRefusesIsNamedAsPoisonNotRetriedForEver() throws Exception {
        // Whatever else PostgreSQL may refuse of an event for good (a data exception), the writer
        // names the event, so that the toolkit dead-letters it and applies the rest of the batch.
        // Here bytes the reader would refuse are handed to the writer directly.
        CustomerEvent signUp = signUpNamed("MARKER");
        byte[] refusedBytes =
                RawBytes.replacing(
                        new String(CustomerEventCodec.encode(signUp), StandardCharsets.UTF_8),
                        "MARKER",
                        RawBytes.overlongSlash());
        BusEvent before = received(shop.create(EventTypes.PRODUCT_USE, user, "prod-b", null));
        BusEvent after = received(shop.create(EventTypes.PRODUCT_USE, user, "prod-a", null));

        assertThatThrownBy(
                        () ->
                                timeline.apply(
                                        List.of(before, received(signUp, refusedBytes), after)))
                .isInstanceOfSatisfying(
                        PoisonEventException.class,
                        poison -> assertThat(poison.eventId()).isEqualTo(signUp.eventId()))
                .hasMessageContaining("the CRM's database refuses it")
                .hasMessageContaining("UTF8");
        timeline.apply(List.of(before, after)); // the toolkit's retry, without the poison
        awaitEventCount(2);
    }

    private CustomerEvent signUpNamed(String name) {
        return shop.create(
                EventTypes.ACCOUNT_CREATED,
                user,
                null,
                Map.of("email", user + "@example.com", "name", name));
    }

    private static ProducerRecord<String, byte[]> record(CustomerEvent event) {
        return BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, event, Optional.empty());
    }

    private static BusEvent received(CustomerEvent event) {
        return received(event, CustomerEventCodec.encode(event));
    }

    private static BusEvent received(CustomerEvent event, byte[] payload) {
        return new BusEvent(
                event,
                Optional.empty(),
                false,
                TestRecords.consumed(
                        new ProducerRecord<>(BusTopics.CUSTOMER_EVENTS, event.userId(), payload),
                        0),
                Span.getInvalid());
    }

    @Test
    void aQuantityBeyondALongIsSummedExactly() throws Exception {
        // The contract's integers have no upper bound: the profile must not overflow a bigint.
        BigInteger huge = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        publish(
                shop.create(
                        EventTypes.PURCHASE,
                        user,
                        "prod-h",
                        Map.of(
                                "purchaseId",
                                UUID.randomUUID().toString(),
                                "quantity",
                                huge,
                                "unitPrice",
                                BigDecimal.ZERO,
                                "currency",
                                "EUR")));
        awaitEventCount(1);

        String profile =
                given().auth()
                        .oauth2(agent())
                        .get(CUSTOMERS + user)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(profile).contains("\"prod-h\":" + huge);
    }

    @Test
    void customersAreFoundByUserIdOrProductPrefix() throws Exception {
        String product = "gadget-" + UUID.randomUUID();
        publish(purchase(UUID.randomUUID(), product, 1, "3.00", "EUR"));
        awaitEventCount(1);

        given().auth()
                .oauth2(agent())
                .queryParam("q", user.substring(0, 20))
                .get("/api/crm/v1/customers")
                .then()
                .statusCode(200)
                .body(
                        "items.find { it.userId == '%s' }.matchedOn".formatted(user),
                        equalTo("userId"));
        given().auth()
                .oauth2(agent())
                .queryParam("q", product.substring(0, 30))
                .get("/api/crm/v1/customers")
                .then()
                .statusCode(200)
                .body("items.userId", equalTo(List.of(user)))
                .body("items[0].matchedOn", equalTo("productId"))
                .body("items[0].eventCount", equalTo(1));
        // Wildcards are literal characters: "%" matches only ids that start with "%".
        given().auth()
                .oauth2(agent())
                .queryParam("q", "%")
                .get("/api/crm/v1/customers")
                .then()
                .statusCode(200)
                .body("items", org.hamcrest.Matchers.empty());
    }

    @Test
    void aCustomerIdOfCharactersOutsideTheBmpIsAsLongAsTheContractCountsIt() throws Exception {
        // 128 characters as the contract counts them (code points), 248 UTF-16 units; this test's
        // own customer (the CRM's database outlives a test run).
        String smiling = "\uD83D\uDE00".repeat(120) + user.substring(user.length() - 8);
        CustomerEvent use = shop.create(EventTypes.PRODUCT_USE, smiling, "prod-e", null);
        publish(use);

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                given().auth()
                                        .oauth2(agent())
                                        .get(CUSTOMERS + smiling)
                                        .then()
                                        .statusCode(200)
                                        .body("eventCount", equalTo(1)));
        given().auth()
                .oauth2(agent())
                .get(CUSTOMERS + smiling + "/timeline")
                .then()
                .statusCode(200)
                .body("items[0].eventId", equalTo(use.eventId().toString()));
        given().auth()
                .oauth2(agent())
                .get(CUSTOMERS + smiling + "x")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(containsString("1 to 128 characters"));
    }

    @Test
    void badSearchesAreProblems() {
        given().auth()
                .oauth2(agent())
                .get("/api/crm/v1/customers")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(agent())
                .queryParam("q", "a")
                .queryParam("limit", 0)
                .get("/api/crm/v1/customers")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(agent())
                .queryParam("type", "Not A Type")
                .get(CUSTOMERS + user + "/timeline")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        // A well-formed type as long as a URL holds: checked in one pass, not one level of the
        // stack per part (it overflowed the stack: a 500).
        given().auth()
                .oauth2(agent())
                .queryParam("type", "a" + "-a".repeat(1_800))
                .get(CUSTOMERS + user + "/timeline")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
        // NUL, which no PostgreSQL text holds, in a search or a customer's id.
        given().auth()
                .oauth2(agent())
                .queryParam("q", "a\u0000")
                .get("/api/crm/v1/customers")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(containsString("U+0000"));
        for (String path : List.of(CUSTOMERS + "a%00b", CUSTOMERS + "a%00b/timeline")) {
            given().auth()
                    .oauth2(agent())
                    .urlEncodingEnabled(false)
                    .get(path)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body(containsString("U+0000"));
        }
    }

    @Test
    void readyOnceConsumingWithTheBrokerReachable() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                given().get("/q/health/ready")
                                        .then()
                                        .statusCode(200)
                                        .body(
                                                "checks.find { it.name == 'bus' }.data.kafka",
                                                equalTo("reachable"))
                                        .body(
                                                "checks.find { it.name == 'bus' }.data.consuming",
                                                equalTo(true)));
    }

    @Test
    void onlyAgentsMayRead() {
        given().get(CUSTOMERS + user).then().statusCode(401);
        given().auth()
                .oauth2(token("someone", Set.of()))
                .get(CUSTOMERS + user)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(agent())
                .get(CUSTOMERS + "nobody-" + UUID.randomUUID())
                .then()
                .statusCode(404);
    }

    private CustomerEvent purchase(
            UUID purchaseId, String product, int quantity, String price, String currency) {
        BigDecimal unit = new BigDecimal(price);
        return shop.create(
                EventTypes.PURCHASE,
                user,
                product,
                Map.of(
                        "purchaseId",
                        purchaseId.toString(),
                        "quantity",
                        quantity,
                        "unitPrice",
                        unit,
                        "totalPrice",
                        unit.multiply(BigDecimal.valueOf(quantity)),
                        "currency",
                        currency));
    }

    private void publish(CustomerEvent event) throws Exception {
        bus.publish(event);
    }

    /** A new test group reads the whole bus first, hence the generous deadline. */
    private void awaitEventCount(int count) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                given().auth()
                                        .oauth2(agent())
                                        .get(CUSTOMERS + user)
                                        .then()
                                        .statusCode(200)
                                        .body("eventCount", equalTo(count)));
    }
}
