package io.customerbus.purchase;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.json.CustomerEventCodec;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.testing.BusProbe;
import io.customerbus.purchase.support.Outbox;
import io.customerbus.purchase.support.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PurchaseApiTest {

    static final String PURCHASES = "/api/purchases/v1/purchases";
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Inject DataSource dataSource;

    private Outbox outbox;
    private BusProbe bus;
    private final String user = "user-" + UUID.randomUUID();

    @BeforeEach
    void openBus() {
        outbox = new Outbox(dataSource);
        bus = new BusProbe();
    }

    @AfterEach
    void closeBus() {
        bus.close();
    }

    @Test
    void postedPurchaseIsStoredAndPublishedOnceWithKeyHeadersAndBody() {
        Response created = post(user, purchase("prod456", 2, "19.99", "EUR"), null);

        created.then()
                .statusCode(201)
                .header("Location", endsWith(PURCHASES + "/" + created.path("id")))
                .body("userId", equalTo(user))
                .body("totalPrice", equalTo(39.98f))
                .body("status", equalTo("COMPLETED"));
        UUID eventId = UUID.fromString(created.path("eventId"));
        ConsumerRecord<String, byte[]> record = theOnlyRecordOf(eventId);
        assertThat(record.key()).isEqualTo(user);
        assertThat(BusHeaders.text(record.headers(), "ce_type")).isEqualTo("purchase");
        assertThat(BusHeaders.text(record.headers(), "ce_source")).isEqualTo("purchase-service");
        assertThat(BusHeaders.text(record.headers(), "ce_subject")).isEqualTo(user);
        assertThat(BusHeaders.text(record.headers(), "content-type")).isEqualTo("application/json");
        assertThat(BusHeaders.text(record.headers(), "traceparent")).isEqualTo(TRACEPARENT);
        CustomerEvent event = CustomerEventCodec.decode(record.value());
        assertThat(event.productId()).isEqualTo("prod456");
        assertThat(event.dataText("purchaseId")).isEqualTo(created.path("id"));
        assertThat(event.dataDecimal("unitPrice")).isEqualByComparingTo("19.99");
        assertThat(event.dataDecimal("totalPrice")).isEqualByComparingTo("39.98");
        assertThat(event.dataText("email")).isEqualTo(user + "@example.com");
        given().auth()
                .oauth2(TestJwt.customer(user))
                .get(PURCHASES + "/" + created.path("id"))
                .then()
                .statusCode(200)
                .body("eventId", equalTo(eventId.toString()));
    }

    @Test
    void aTokensEmailTheEventCannotCarryIsLeftOutAndATokenWithoutSubNamesNoCustomer() {
        for (Object email : List.of("", "not an address", 123, List.of(user + "@example.com"))) {
            Response created =
                    given().auth()
                            .oauth2(TestJwt.withEmail(user, email))
                            .contentType(ContentType.JSON)
                            .body(purchase("prod-mail", 1, "5.00", "EUR"))
                            .post(PURCHASES);

            created.then().statusCode(201);
            CustomerEvent event =
                    CustomerEventCodec.decode(
                            theOnlyRecordOf(UUID.fromString(created.path("eventId"))).value());
            assertThat(event.data()).as("email claim " + email).doesNotContainKey("email");
        }

        given().auth()
                .oauth2(TestJwt.withoutSubject(user))
                .contentType(ContentType.JSON)
                .body(purchase("prod-mail", 1, "5.00", "EUR"))
                .post(PURCHASES)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("the token has no sub claim: it names no customer"));
        assertThat(outbox.purchasesOf(user)).isEqualTo(4);
    }

    @Test
    void retryWithTheSameIdempotencyKeyReturnsTheOriginalAndWritesNothing() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = purchase("prod-1", 1, "5.00", "USD");

        Response first = post(user, body, key);
        Response retry = post(user, body, key);

        first.then().statusCode(201);
        retry.then().statusCode(201).header("Location", endsWith((String) first.path("id")));
        assertThat(retry.asString()).isEqualTo(first.asString());
        assertThat(outbox.purchasesOf(user)).isEqualTo(1);
        assertThat(theOnlyRecordOf(UUID.fromString(first.path("eventId"))).key()).isEqualTo(user);
        assertThat(bus.recordsWithKey(user)).as("events of the customer on the bus").hasSize(1);
    }

    @Test
    void sameIdempotencyKeyWithAnotherBodyIsRejected() {
        String key = UUID.randomUUID().toString();
        post(user, purchase("prod-1", 1, "5.00", "USD"), key).then().statusCode(201);

        post(user, purchase("prod-1", 3, "5.00", "USD"), key)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        equalTo("Idempotency-Key was already used with a different request"));
        assertThat(outbox.purchasesOf(user)).isEqualTo(1);
    }

    @Test
    void refundPublishesOneRefundEventAndASecondRefundConflicts() {
        Response created = post(user, purchase("prod-9", 3, "2.50", "GBP"), null);
        String id = created.path("id");

        Response refunded =
                given().auth()
                        .oauth2(TestJwt.customer(user))
                        .post(PURCHASES + "/" + id + "/refund");
        refunded.then().statusCode(200).body("status", equalTo("REFUNDED"));
        given().auth()
                .oauth2(TestJwt.customer(user))
                .post(PURCHASES + "/" + id + "/refund")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");

        ConsumerRecord<String, byte[]> record =
                theOnlyRecordOf(UUID.fromString(refunded.path("refundEventId")));
        CustomerEvent refund = CustomerEventCodec.decode(record.value());
        assertThat(refund.eventType()).isEqualTo("refund");
        assertThat(refund.dataDecimal("amount")).isEqualByComparingTo("7.50");
        assertThat(refund.dataText("purchaseId")).isEqualTo(id);
        assertThat(bus.recordsWithKey(user)).as("the purchase and one refund").hasSize(2);
    }

    @Test
    void listIsNewestFirstPaginatedWithTheTotal() {
        for (int i = 1; i <= 3; i++) {
            post(user, purchase("prod-" + i, i, "1.00", "EUR"), null).then().statusCode(201);
        }

        given().auth()
                .oauth2(TestJwt.customer(user))
                .queryParam("page", 0)
                .queryParam("size", 2)
                .get(PURCHASES)
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("items.productId", equalTo(List.of("prod-3", "prod-2")));
        given().auth()
                .oauth2(TestJwt.customer(user))
                .queryParam("page", 1)
                .queryParam("size", 2)
                .get(PURCHASES)
                .then()
                .body("items.productId", equalTo(List.of("prod-1")));
    }

    @Test
    void unknownPurchaseIsNotFound() {
        given().auth()
                .oauth2(TestJwt.customer(user))
                .get(PURCHASES + "/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    static Map<String, Object> purchase(
            String product, int quantity, String unitPrice, String currency) {
        return Map.of(
                "productId",
                product,
                "quantity",
                quantity,
                "unitPrice",
                new java.math.BigDecimal(unitPrice),
                "currency",
                currency);
    }

    static Response post(String userId, Object body, String idempotencyKey) {
        var request =
                given().auth()
                        .oauth2(TestJwt.customer(userId))
                        .contentType(ContentType.JSON)
                        .header("traceparent", TRACEPARENT)
                        .body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post(PURCHASES);
    }

    private ConsumerRecord<String, byte[]> theOnlyRecordOf(UUID eventId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox.isPublished(eventId));
        List<ConsumerRecord<String, byte[]>> records = bus.recordsOf(eventId);
        assertThat(records).as("records of event " + eventId).hasSize(1);
        return records.get(0);
    }
}
