package io.customerbus.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.customerbus.console.bus.BusConnection;
import io.customerbus.console.support.Tokens;
import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.BusPublisher;
import io.customerbus.events.testing.TestGroups;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays from the console, on the same implementation as {@code bus replay}: a stopped group that
 * consumed everything, then three events of one customer (one partition) it has consumed too.
 */
@QuarkusTest
class ReplayActionsTest {

    @Inject BusConnection connection;

    private final String group = "console-replay-" + UUID.randomUUID();
    private final String admin = Tokens.withRole("ops-" + group, "bus-admin");
    private String path;
    private List<CustomerEvent> events;
    private List<RecordMetadata> sent;
    private TopicPartition partition;
    private Map<TopicPartition, OffsetAndMetadata> before;

    @BeforeEach
    void aStoppedGroupThatConsumedEverything() throws Exception {
        CustomerEventFactory factory = new CustomerEventFactory("console-test");
        String user = "replay-" + UUID.randomUUID();
        events =
                List.of(
                        factory.create(EventTypes.PRODUCT_USE, user, "p", null),
                        factory.create(EventTypes.PRODUCT_USE, user, "p", null),
                        factory.create(EventTypes.PRODUCT_USE, user, "p", null));
        try (BusPublisher bus = new BusPublisher()) {
            sent = bus.publishAll(events);
        }
        partition = new TopicPartition(BusTopics.CUSTOMER_EVENTS, sent.get(0).partition());
        TestGroups.commitAtEnd(group);
        before = TestGroups.committed(group);
        path = "/api/console/v1/groups/" + group + "/replay";
    }

    @Test
    void thePlanSaysWhatWouldBeProcessedAgainAndChangesNothing() {
        JsonPath plan =
                given().auth()
                        .oauth2(admin)
                        .queryParam("from", "beginning")
                        .get(path)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();

        assertThat(plan.getString("group")).isEqualTo(group);
        assertThat(plan.getString("from")).isEqualTo("from the beginning");
        Map<String, Object> move =
                plan.getMap("moves.find { it.partition == " + partition.partition() + " }");
        long end = offset(2) + 1;
        assertThat(move)
                .containsEntry("current", (int) end)
                .containsEntry("target", 0)
                .containsEntry("end", (int) end)
                .containsEntry("until", (int) end)
                .containsEntry("reprocessed", (int) end)
                .containsEntry("changes", true);
        assertThat(plan.getLong("reprocessed")).isGreaterThanOrEqualTo(end);
        assertThat(TestGroups.committed(group)).as("a plan changes nothing").isEqualTo(before);
    }

    @Test
    void aPlanLookingForAnEventDoesNotWaitForTheOtherViews() throws Exception {
        // Another view holds the console's shared reader (as a slow DLQ listing would); the plan,
        // which reads the bus from its first record to find the event, is answered meanwhile.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> otherView =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return connection.run(
                                        (admin, reader, catalog) -> {
                                            holding.countDown();
                                            return release.await(60, TimeUnit.SECONDS);
                                        });
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        try {
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            String second = eventIdOf(1);
            CompletableFuture<Integer> plan =
                    CompletableFuture.supplyAsync(
                            () ->
                                    given().auth()
                                            .oauth2(admin)
                                            .queryParam("from", second)
                                            .get(path)
                                            .then()
                                            .body("from", equalTo("from event " + second))
                                            .extract()
                                            .statusCode());
            assertThat(plan.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(otherView).as("the other view still holds the reader").isNotDone();
        } finally {
            release.countDown();
        }
        assertThat(otherView.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aReplayFromAnEventRewindsItsPartitionRecordsTheBoundaryAndIsAudited() {
        String second = eventIdOf(1);
        given().auth()
                .oauth2(admin)
                .queryParam("from", second)
                .post(path)
                .then()
                .statusCode(200)
                .body("from", equalTo("from event " + second));

        long end = offset(2) + 1;
        assertThat(TestGroups.committed(group).get(partition))
                .isEqualTo(
                        new OffsetAndMetadata(
                                offset(1), "replay-until=" + end + ";replay-from=" + offset(1)));
        given().auth()
                .oauth2(admin)
                .get("/api/console/v1/activity")
                .then()
                .statusCode(200)
                .body("find { it.subscriber == '" + group + "' }.action", equalTo("replay"))
                .body("find { it.subscriber == '" + group + "' }.who", equalTo("ops-" + group))
                .body("find { it.subscriber == '" + group + "' }.tool", equalTo("bus-console"))
                .body(
                        "find { it.subscriber == '" + group + "' }.detail",
                        containsString("from event " + second));
    }

    @Test
    void aRunningGroupIsRefusedAndLeftAlone() {
        try (KafkaConsumer<byte[], byte[]> member = TestGroups.activeMember(group)) {
            given().auth()
                    .oauth2(admin)
                    .queryParam("from", "beginning")
                    .get(path)
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", containsString("1 active member(s)"))
                    .body("detail", containsString("stop its deployments first"));
            given().auth()
                    .oauth2(admin)
                    .queryParam("from", "beginning")
                    .post(path)
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json");
            assertThat(TestGroups.committed(group).get(partition)).isEqualTo(before.get(partition));
        }
    }

    @Test
    void unknownGroupsEventsAndStartsAreClearErrors() {
        given().auth()
                .oauth2(admin)
                .queryParam("from", "beginning")
                .get("/api/console/v1/groups/nobody-" + group + "/replay")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no consumer group 'nobody-" + group + "'"));
        UUID missing = UUID.randomUUID();
        given().auth()
                .oauth2(admin)
                .queryParam("from", missing.toString())
                .post(path)
                .then()
                .statusCode(404)
                .body("detail", containsString("no event " + missing));
        given().auth()
                .oauth2(admin)
                .queryParam("from", "yesterday")
                .get(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("neither 'beginning', an ISO-8601 time"));
        // A time Kafka cannot look up (before 1970): once a 500.
        given().auth()
                .oauth2(admin)
                .queryParam("from", "1969-12-31T00:00:00Z")
                .get(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("a replay starts at a time from 1970 to 9999"));
        given().auth()
                .oauth2(Tokens.withRole("ana", "analyst"))
                .queryParam("from", "beginning")
                .post(path)
                .then()
                .statusCode(403);
        assertThat(TestGroups.committed(group)).isEqualTo(before);
    }

    private long offset(int i) {
        return sent.get(i).offset();
    }

    private String eventIdOf(int i) {
        return events.get(i).eventId().toString();
    }
}
