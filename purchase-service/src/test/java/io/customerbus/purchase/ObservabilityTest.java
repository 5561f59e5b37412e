package io.customerbus.purchase;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesRegex;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What operators see: the API contract, readiness with the outbox state, and the meters. */
@QuarkusTest
class ObservabilityTest {

    @Test
    void openApiDocumentDescribesEveryEndpoint() {
        given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("paths", hasKey("/api/purchases/v1/purchases"))
                .body("paths", hasKey("/api/purchases/v1/purchases/{id}"))
                .body("paths", hasKey("/api/purchases/v1/purchases/{id}/refund"))
                .body(
                        "paths.'/api/purchases/v1/purchases'.post.parameters.name",
                        hasItem("Idempotency-Key"));
    }

    @Test
    void readinessReportsTheDatabaseAndTheOutbox() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("customer-event outbox"))
                .body(
                        "checks.find { it.name == 'customer-event outbox' }.data.kafka",
                        equalTo("publishing"))
                .body("checks.find { it.name == 'customer-event outbox' }.data.slots", equalTo(16))
                .body("checks.name", hasItem(containsString("Database connections")));
    }

    @Test
    void metricsCountPurchasesAndPublishedEvents() {
        String user = "metrics-" + UUID.randomUUID();
        PurchaseApiTest.post(user, PurchaseApiTest.purchase("p1", 1, "1.00", "CHF"), null)
                .then()
                .statusCode(201);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                given().get("/q/metrics")
                                        .then()
                                        .body(
                                                containsString(
                                                        "purchases_created_total{currency=\"CHF\""))
                                        .body(
                                                containsString(
                                                        "bus_events_published_total{type=\"purchase\""))
                                        .body(containsString("bus_outbox_backlog"))
                                        .body(containsString("bus_outbox_commit_to_ack_seconds"))
                                        // Its parts: waiting for the relay, the transaction.
                                        .body(
                                                matchesRegex(
                                                        "(?s).*\\nbus_outbox_commit_to_read_seconds_count [1-9].*"))
                                        .body(
                                                matchesRegex(
                                                        "(?s).*\\nbus_outbox_transaction_seconds_count [1-9].*"))
                                        // The relay's transactions, and its pacing (5-20 ms).
                                        .body(
                                                matchesRegex(
                                                        "(?s).*\\nbus_outbox_transaction_events_count [1-9].*"))
                                        .body(
                                                matchesRegex(
                                                        "(?s).*\\nbus_outbox_batch_interval_seconds 0\\.0[0-2].*")));
    }
}
