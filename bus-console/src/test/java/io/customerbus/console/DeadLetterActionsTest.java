package io.customerbus.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.customerbus.console.support.Tokens;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.BusProbe;
import io.customerbus.events.testing.TestRecords;
import io.customerbus.events.testing.TopicRefusingRecords;
import io.customerbus.runtime.operations.AuditLog;
import io.customerbus.runtime.operations.DeadLetterQueue;
import io.customerbus.runtime.subscriber.DeadLetters;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A subscriber's dead letters in the console: browsed, re-driven to it alone, audited. */
@QuarkusTest
class DeadLetterActionsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final String subscriber = "c" + UUID.randomUUID().toString().substring(0, 8);
    private final String admin = Tokens.withRole("ops-" + subscriber, "bus-admin");
    private final CustomerEventFactory shop = new CustomerEventFactory("purchase-service");
    private CustomerEvent timedOut;
    private CustomerEvent looping;

    @BeforeEach
    void deadLetterTwoEvents() throws Exception {
        try (Admin kafka =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            kafka.createTopics(
                            List.of(
                                    new NewTopic(BusTopics.deadLetter(subscriber), 1, (short) 1),
                                    new NewTopic(BusTopics.retry(subscriber), 1, (short) 1)))
                    .all()
                    .get();
        }
        timedOut = shop.create(EventTypes.PRODUCT_USE, "dl-" + subscriber, "p", null);
        looping = shop.create(EventTypes.PRODUCT_USE, "dl-" + subscriber, "p", null);
        try (DeadLetters dlq = new DeadLetters(subscriber, bootstrap)) {
            dlq.send(consumed(timedOut), "SMTP timeout", Map.of());
            dlq.send(
                    consumed(looping),
                    "refused again",
                    Map.of(
                            DeadLetterQueue.REDRIVES,
                            Integer.toString(DeadLetterQueue.MAX_REDRIVES)));
        }
    }

    @Test
    void deadLettersAreListedByReasonAndShownWhole() {
        String base = "/api/console/v1/subscribers/" + subscriber + "/dead-letters";
        given().auth()
                .oauth2(admin)
                .get(base)
                .then()
                .statusCode(200)
                .body("count", equalTo(2))
                .body("byReason.'SMTP timeout'", equalTo(1))
                .body("byReason.'refused again'", equalTo(1))
                .body("letters", hasSize(2));
        given().auth()
                .oauth2(admin)
                .get(base + "/0/0")
                .then()
                .statusCode(200)
                .body("headers.'dlq-reason'", equalTo("SMTP timeout"))
                .body("headers.ce_id", equalTo(timedOut.eventId().toString()))
                .body("key", equalTo("dl-" + subscriber));
        given().auth()
                .oauth2(admin)
                .get(base + "/0/1")
                .then()
                .statusCode(200)
                .body("headers.'dlq-reason'", equalTo("refused again"));
        for (String nowhere : List.of("/0/99", "/7/0")) {
            given().auth()
                    .oauth2(admin)
                    .get(base + nowhere)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
        }
        given().auth()
                .oauth2(admin)
                .get("/api/console/v1/subscribers/nobody-" + subscriber + "/dead-letters")
                .then()
                .statusCode(404);
    }

    @Test
    void aReDriveGoesToTheSubscribersRetryTopicOnlyRefusesLoopsAndIsAudited() throws Exception {
        List<ConsumerRecord<String, byte[]>> retried;
        List<ConsumerRecord<String, byte[]>> onTheBus;
        try (BusProbe retryTopic = new BusProbe(BusTopics.retry(subscriber));
                BusProbe bus = new BusProbe()) {
            given().auth()
                    .oauth2(admin)
                    .post("/api/console/v1/subscribers/" + subscriber + "/dead-letters/redrive")
                    .then()
                    .statusCode(200)
                    .body("redriven", equalTo(1))
                    .body("refused", equalTo(List.of("0@1")));
            retried = retryTopic.readToEnd();
            onTheBus = bus.recordsWithKey("dl-" + subscriber);
        }
        assertThat(retried)
                .extracting(r -> BusHeaders.text(r.headers(), BusHeaders.CE_ID))
                .containsExactly(timedOut.eventId().toString());
        assertThat(onTheBus).as("nothing went back onto the bus").isEmpty();
        given().auth()
                .oauth2(admin)
                .get("/api/console/v1/activity")
                .then()
                .statusCode(200)
                .body("find { it.subscriber == '" + subscriber + "' }.action", equalTo("redrive"))
                .body(
                        "find { it.subscriber == '" + subscriber + "' }.who",
                        equalTo("ops-" + subscriber))
                .body("find { it.subscriber == '" + subscriber + "' }.tool", equalTo("bus-console"))
                .body("find { it.subscriber == '" + subscriber + "' }.records", equalTo(1));
    }

    @Test
    void aReDriveOfWhatAViewShowedIsPlannedFirstAndLeavesWhatWasDeadLetteredSince()
            throws Exception {
        String base = "/api/console/v1/subscribers/" + subscriber + "/dead-letters";
        Map<String, Object> upTo =
                given().auth().oauth2(admin).get(base).then().extract().path("upTo");
        String seen = "0:" + upTo.get("0");
        CustomerEvent since = shop.create(EventTypes.PRODUCT_USE, "dl-" + subscriber, "p", null);
        try (DeadLetters dlq = new DeadLetters(subscriber, bootstrap)) {
            dlq.send(consumed(since), "SMTP timeout", Map.of());
        }

        try (BusProbe retryTopic = new BusProbe(BusTopics.retry(subscriber))) {
            given().auth()
                    .oauth2(admin)
                    .queryParam("upTo", seen)
                    .get(base + "/redrive")
                    .then()
                    .statusCode(200)
                    .body("redriven", equalTo(1))
                    .body("refused", equalTo(List.of("0@1")))
                    .body("olderCopies", equalTo(0));
            given().auth()
                    .oauth2(admin)
                    .get(base + "/redrive")
                    .then()
                    .statusCode(200)
                    .body("redriven", equalTo(2));
            assertThat(retryTopic.readToEnd()).as("a plan sends nothing").isEmpty();

            given().auth()
                    .oauth2(admin)
                    .queryParam("upTo", seen)
                    .post(base + "/redrive")
                    .then()
                    .statusCode(200)
                    .body("redriven", equalTo(1));
            assertThat(retryTopic.readToEnd())
                    .extracting(r -> BusHeaders.text(r.headers(), BusHeaders.CE_ID))
                    .containsExactly(timedOut.eventId().toString());
        }
        given().auth()
                .oauth2(admin)
                .queryParam("upTo", "zero:2")
                .get(base + "/redrive")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aSubscriberWithoutARetryTopicCannotBeReDrivenAndIsToldWhy() throws Exception {
        // Like the CRM: a dead-letter topic, no retry topic.
        String noRetries = "n" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin kafka =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            kafka.createTopics(List.of(new NewTopic(BusTopics.deadLetter(noRetries), 1, (short) 1)))
                    .all()
                    .get();
        }
        try (DeadLetters dlq = new DeadLetters(noRetries, bootstrap)) {
            dlq.send(consumed(timedOut), "bug in the handler", Map.of());
        }
        String base = "/api/console/v1/subscribers/" + noRetries + "/dead-letters";

        given().auth()
                .oauth2(admin)
                .get(base)
                .then()
                .statusCode(200)
                .body("count", equalTo(1))
                .body("retryTopic", nullValue());
        given().auth()
                .oauth2(admin)
                .get("/api/console/v1/subscribers/" + subscriber + "/dead-letters")
                .then()
                .body("retryTopic", equalTo(BusTopics.retry(subscriber)));
        given().auth()
                .oauth2(admin)
                .post(base + "/redrive")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        containsString("replay its group from before the first dead letter"));
        given().auth()
                .oauth2(admin)
                .get(base + "/redrive")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        given().auth().oauth2(admin).get(base).then().body("count", equalTo(1));
    }

    @Test
    void aPurgeDeletesTheDeadLettersAndIsAudited() {
        String base = "/api/console/v1/subscribers/" + subscriber + "/dead-letters";
        given().auth()
                .oauth2(admin)
                .queryParam("before", "last tuesday")
                .post(base + "/purge")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(admin)
                .post(base + "/purge")
                .then()
                .statusCode(200)
                .body("purged", equalTo(2));

        given().auth().oauth2(admin).get(base).then().statusCode(200).body("count", equalTo(0));
        given().auth()
                .oauth2(admin)
                .get("/api/console/v1/activity")
                .then()
                .statusCode(200)
                .body("find { it.subscriber == '" + subscriber + "' }.action", equalTo("purge"))
                .body("find { it.subscriber == '" + subscriber + "' }.records", equalTo(2))
                .body("find { it.subscriber == '" + subscriber + "' }.detail", equalTo("all"));
    }

    @Test
    void aPurgeTheAuditLogCannotRecordIsAnsweredAsDoneNotAsFailed() throws Exception {
        String base = "/api/console/v1/subscribers/" + subscriber + "/dead-letters";
        try (TopicRefusingRecords auditLog = new TopicRefusingRecords(AuditLog.TOPIC)) {
            given().auth()
                    .oauth2(admin)
                    .post(base + "/purge")
                    .then()
                    .statusCode(500)
                    .contentType("application/problem+json")
                    .body("title", equalTo("Done, but not audited"))
                    .body("done", equalTo(true))
                    .body(
                            "detail",
                            allOf(
                                    startsWith("the purge of 2 record(s) of " + subscriber),
                                    containsString("do not repeat it")));
        }

        given().auth().oauth2(admin).get(base).then().statusCode(200).body("count", equalTo(0));
    }

    @Test
    void anActionByATokenThatNamesItsHolderByUpnIsRecordedUnderThatName() {
        // Until 2026-12-07 the log took the subject alone: such an action was on it under no one.
        String byUpn = Tokens.withRoleNamedByUpn("upn-" + subscriber, "bus-admin");
        given().auth()
                .oauth2(byUpn)
                .post("/api/console/v1/subscribers/" + subscriber + "/dead-letters/purge")
                .then()
                .statusCode(200)
                .body("purged", equalTo(2));

        given().auth()
                .oauth2(admin)
                .get("/api/console/v1/activity")
                .then()
                .statusCode(200)
                .body("find { it.subscriber == '" + subscriber + "' }.action", equalTo("purge"))
                .body(
                        "find { it.subscriber == '" + subscriber + "' }.who",
                        equalTo("upn-" + subscriber));
    }

    @Test
    void recordsOnTheAuditLogThatAreNoEntriesArePassedOver() throws Exception {
        try (KafkaProducer<String, byte[]> other =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            other.send(new ProducerRecord<>(AuditLog.TOPIC, subscriber, "{}".getBytes())).get();
            other.send(new ProducerRecord<>(AuditLog.TOPIC, subscriber, null)).get();
        }
        given().auth()
                .oauth2(admin)
                .post("/api/console/v1/subscribers/" + subscriber + "/dead-letters/purge")
                .then()
                .statusCode(200);

        given().auth()
                .oauth2(admin)
                .get("/api/console/v1/activity")
                .then()
                .statusCode(200)
                .body("find { it.subscriber == '" + subscriber + "' }.action", equalTo("purge"));
    }

    @Test
    void aPurgeOfWhatAViewShowedKeepsWhatWasDeadLetteredSince() throws Exception {
        String base = "/api/console/v1/subscribers/" + subscriber + "/dead-letters";
        Map<String, Object> upTo =
                given().auth()
                        .oauth2(admin)
                        .get(base)
                        .then()
                        .statusCode(200)
                        .body("count", equalTo(2))
                        .body("upTo.'0'", equalTo(2))
                        .extract()
                        .path("upTo");
        CustomerEvent since = shop.create(EventTypes.PRODUCT_USE, "dl-" + subscriber, "p", null);
        try (DeadLetters dlq = new DeadLetters(subscriber, bootstrap)) {
            dlq.send(consumed(since), "SMTP timeout", Map.of());
        }

        given().auth()
                .oauth2(admin)
                .queryParam("upTo", "0:" + upTo.get("0"))
                .post(base + "/purge")
                .then()
                .statusCode(200)
                .body("purged", equalTo(2));

        given().auth()
                .oauth2(admin)
                .get(base)
                .then()
                .body("count", equalTo(1))
                .body("letters[0].eventId", equalTo(since.eventId().toString()));
        given().auth()
                .oauth2(admin)
                .get("/api/console/v1/activity")
                .then()
                .statusCode(200)
                .body(
                        "find { it.subscriber == '" + subscriber + "' }.detail",
                        equalTo("all of those listed (up to 0:2)"));
        given().auth()
                .oauth2(admin)
                .queryParam("upTo", "zero:2")
                .post(base + "/purge")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aRedriveStoppedByTheBrokerIsAuditedWithWhatItSentBeforeThat() throws Exception {
        String small = "p" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin kafka =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            kafka.createTopics(
                            List.of(
                                    new NewTopic(BusTopics.deadLetter(small), 1, (short) 1),
                                    // Takes the first letter, refuses the second: too large.
                                    new NewTopic(BusTopics.retry(small), 1, (short) 1)
                                            .configs(Map.of("max.message.bytes", "4096"))))
                    .all()
                    .get();
        }
        CustomerEvent fits = shop.create(EventTypes.PRODUCT_USE, "dl-" + small, "p", null);
        CustomerEvent tooLarge =
                shop.create(
                        EventTypes.PRODUCT_USE,
                        "dl-" + small,
                        "p",
                        Map.of("note", "x".repeat(8_000)));
        try (DeadLetters dlq = new DeadLetters(small, bootstrap)) {
            dlq.send(consumed(fits), "SMTP timeout", Map.of());
            dlq.send(consumed(tooLarge), "SMTP timeout", Map.of());
        }

        try (BusProbe retry = new BusProbe(BusTopics.retry(small))) {
            int status =
                    given().auth()
                            .oauth2(admin)
                            .post("/api/console/v1/subscribers/" + small + "/dead-letters/redrive")
                            .then()
                            .extract()
                            .statusCode();

            assertThat(status).isGreaterThanOrEqualTo(500);
            given().auth()
                    .oauth2(admin)
                    .get("/api/console/v1/activity")
                    .then()
                    .statusCode(200)
                    .body("find { it.subscriber == '" + small + "' }.action", equalTo("redrive"))
                    .body("find { it.subscriber == '" + small + "' }.records", equalTo(1))
                    .body(
                            "find { it.subscriber == '" + small + "' }.detail",
                            containsString("stopped after 1 of 2 by a failure"));
            assertThat(retry.recordsOf(fits.eventId())).hasSize(1);
            assertThat(retry.recordsOf(tooLarge.eventId())).isEmpty();
        }
    }

    @Test
    void onlyOperatorsSeeOrActOnDeadLetters() {
        String analyst = Tokens.withRole("ana", "analyst");
        given().auth()
                .oauth2(analyst)
                .get("/api/console/v1/subscribers/" + subscriber + "/dead-letters")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(analyst)
                .post("/api/console/v1/subscribers/" + subscriber + "/dead-letters/redrive")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(analyst)
                .post("/api/console/v1/subscribers/" + subscriber + "/dead-letters/purge")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(admin)
                .get("/api/console/v1/subscribers/" + subscriber + "/dead-letters")
                .then()
                .body("count", equalTo(2));
        given().auth()
                .oauth2(admin)
                .get("/api/console/v1/subscribers/Bad_Name/dead-letters")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        // Longer than any topic name could hold.
        given().auth()
                .oauth2(admin)
                .get("/api/console/v1/subscribers/" + "a".repeat(240) + "/dead-letters")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aPurgeBeforeATimeNoRecordCarriesIsRefusedAndDeletesNothing() {
        for (String before : List.of("1969-12-31T23:59:59Z", "+300000000-01-01T00:00:00Z")) {
            given().auth()
                    .oauth2(admin)
                    .queryParam("before", before)
                    .post("/api/console/v1/subscribers/" + subscriber + "/dead-letters/purge")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("from 1970 to 9999"));
        }
        given().auth()
                .oauth2(admin)
                .get("/api/console/v1/subscribers/" + subscriber + "/dead-letters")
                .then()
                .body("count", equalTo(2));
    }

    private static ConsumerRecord<String, byte[]> consumed(CustomerEvent event) {
        return TestRecords.consumed(
                BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, event, Optional.empty()), 7);
    }
}
