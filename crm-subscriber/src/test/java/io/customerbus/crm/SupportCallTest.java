package io.customerbus.crm;

import static io.customerbus.crm.support.Tokens.agent;
import static io.customerbus.crm.support.Tokens.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.EventTypes;
import io.customerbus.events.json.CustomerEventCodec;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.testing.BusProbe;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CRM as a publisher: a logged call goes through the outbox to the bus and back in. */
@QuarkusTest
class SupportCallTest {

    private final String user = "caller-" + UUID.randomUUID();
    private BusProbe bus;

    @BeforeEach
    void openProbe() {
        bus = new BusProbe();
    }

    @AfterEach
    void closeProbe() {
        bus.close();
    }

    @Test
    void aLoggedCallIsPublishedAndReachesTheTimelineFromTheBus() {
        String eventId =
                logCall(Map.of("channel", "phone", "summary", "wants <b>two</b> licences"))
                        .statusCode(201)
                        .header(
                                "Location",
                                org.hamcrest.Matchers.endsWith(
                                        "/api/crm/v1/customers/" + user + "/timeline"))
                        .body("userId", equalTo(user))
                        .body("agent", equalTo("agent-1"))
                        .extract()
                        .path("eventId");

        ConsumerRecord<String, byte[]> record = publishedRecord(UUID.fromString(eventId));
        assertThat(record.key()).isEqualTo(user);
        assertThat(BusHeaders.text(record.headers(), BusHeaders.CE_TYPE))
                .isEqualTo(EventTypes.SUPPORT_CALL);
        assertThat(BusHeaders.text(record.headers(), BusHeaders.TRACEPARENT)).isNotBlank();
        CustomerEvent event = CustomerEventCodec.decode(record.value());
        assertThat(event.source()).isEqualTo("crm-subscriber");
        assertThat(event.data())
                .containsEntry("channel", "phone")
                .containsEntry("summary", "wants <b>two</b> licences")
                .containsEntry("agent", "agent-1");

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                given().auth()
                                        .oauth2(agent())
                                        .get("/api/crm/v1/customers/" + user + "/timeline")
                                        .then()
                                        .statusCode(200)
                                        .body("total", equalTo(1))
                                        .body("items[0].eventId", equalTo(eventId))
                                        .body("items[0].eventType", equalTo("support-call")));
        given().auth()
                .oauth2(agent())
                .get("/api/crm/v1/customers/" + user)
                .then()
                .body("lastContact", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aRetryWithTheSameCallIdLogsTheCallOnce() {
        String callId = UUID.randomUUID().toString();
        Map<String, Object> call = Map.of("callId", callId, "channel", "chat", "summary", "hi");
        String eventId = logCall(call).statusCode(201).extract().path("eventId");
        logCall(call).statusCode(200).body("eventId", equalTo(eventId));
        logCall(Map.of("callId", callId, "channel", "chat", "summary", "something else"))
                .statusCode(409)
                .contentType("application/problem+json");

        publishedRecord(UUID.fromString(eventId));
        List<ConsumerRecord<String, byte[]>> calls =
                bus.readToEnd().stream().filter(r -> user.equals(r.key())).toList();
        assertThat(calls).hasSize(1);
    }

    @Test
    void badCallsAreProblemsAndPublishNothing() {
        logCall(Map.of("channel", "fax", "summary", "x"))
                .statusCode(400)
                .contentType("application/problem+json");
        logCall(Map.of("channel", "phone", "summary", " "))
                .statusCode(400)
                .contentType("application/problem+json");
        logCall(Map.of("channel", "phone", "summary", "x", "priority", "high"))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("unknown field 'priority'"));
        logCall(Map.of("channel", "phone", "summary", "x".repeat(2001)))
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(agent())
                .contentType(ContentType.JSON)
                .body("{\"channel\": \"phone\",")
                .post("/api/crm/v1/customers/" + user + "/calls")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        // What the bus cannot carry (CarriageRules) is named, not a database's 500.
        logCall("{\"channel\": \"phone\", \"summary\": \"a\\u0000b\"}")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("data.summary"))
                .body("violations[0].rule", equalTo("characters"));
        logCall("{\"channel\": \"phone\", \"summary\": \"a\\ud800b\"}")
                .statusCode(400)
                .body("violations[0].message", containsString("unpaired surrogate"));
        given().auth()
                .oauth2(token("shopper", Set.of()))
                .contentType(ContentType.JSON)
                .body(Map.of("channel", "phone", "summary", "x"))
                .post("/api/crm/v1/customers/" + user + "/calls")
                .then()
                .statusCode(403);

        // A call logged afterwards is the only record of this customer on the bus.
        String eventId =
                logCall(Map.of("channel", "email", "summary", "ok"))
                        .statusCode(201)
                        .extract()
                        .path("eventId");
        publishedRecord(UUID.fromString(eventId));
        assertThat(bus.readToEnd().stream().filter(r -> user.equals(r.key()))).hasSize(1);
    }

    private io.restassured.response.ValidatableResponse logCall(Object body) {
        return given().auth()
                .oauth2(agent())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/crm/v1/customers/" + user + "/calls")
                .then();
    }

    private ConsumerRecord<String, byte[]> publishedRecord(UUID eventId) {
        return await().atMost(Duration.ofSeconds(20))
                .until(() -> bus.recordsOf(eventId), records -> !records.isEmpty())
                .get(0);
    }
}
