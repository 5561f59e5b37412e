package io.customerbus.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.customerbus.console.support.Tokens;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.catalog.SubscriberDescription;
import io.customerbus.runtime.subscriber.ReplayBoundary;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The console's API against the real broker: what an operator's page is built from. */
@QuarkusTest
class ConsoleApiTest {

    static final String BUS = "/api/console/v1/bus";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theWholeBusInOneAnswerWithEachSubscribersLagReplayAndDeadLetters() throws Exception {
        String name = "c" + UUID.randomUUID().toString().substring(0, 8);
        String group = name + "-subscriber";
        String user = "console-" + UUID.randomUUID();
        CustomerEventFactory events = new CustomerEventFactory("console-test");
        long twoMinutesAgo = Instant.now().minusSeconds(120).toEpochMilli();
        RecordMetadata first;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            first = send(producer, events, user, twoMinutesAgo);
            send(producer, events, user, twoMinutesAgo);
            send(producer, events, user, twoMinutesAgo);
            try (Admin admin = admin()) {
                admin.createTopics(List.of(new NewTopic(BusTopics.deadLetter(name), 1, (short) 1)))
                        .all()
                        .get();
            }
            producer.send(new ProducerRecord<>(BusTopics.deadLetter(name), "k", new byte[] {1}))
                    .get();
            producer.send(describe(name, group)).get();
        }
        // Replaying: applied the first of the three records before its boundary.
        TopicPartition partition = new TopicPartition(BusTopics.CUSTOMER_EVENTS, first.partition());
        long boundary = first.offset() + 3;
        try (KafkaConsumer<byte[], byte[]> member = member(group)) {
            member.commitSync(
                    Map.of(
                            partition,
                            new OffsetAndMetadata(
                                    first.offset() + 1, new ReplayBoundary(boundary).metadata())));
        }

        JsonPath view =
                given().auth()
                        .oauth2(Tokens.withRole("ops", "bus-admin"))
                        .get(BUS)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();

        assertThat(view.getString("bus.topic")).isEqualTo("customer-events");
        assertThat(view.getLong("bus.retentionMs")).isEqualTo(-1);
        assertThat(view.getLong("bus.records")).isGreaterThanOrEqualTo(3);
        Map<String, Object> subscriber =
                view.getMap("subscribers.find { it.description.group == '" + group + "' }");
        assertThat(subscriber).as("described subscriber " + group).isNotNull();
        JsonPath described =
                JsonPath.from(view.prettify())
                        .setRootPath(
                                "subscribers.find { it.description.group == '" + group + "' }");
        assertThat(described.getList("description.types")).containsExactly("purchase", "refund");
        assertThat(described.getString("description.owner")).isEqualTo("test-team");
        assertThat(described.getInt("members")).isZero();
        assertThat(described.getLong("lag")).isEqualTo(2);
        assertThat(described.getLong("lagSeconds")).isBetween(120L, 200L);
        assertThat(described.getLong("deadLetters")).isEqualTo(1);
        assertThat(described.getLong("partitions[0].replayUntil")).isEqualTo(boundary);
        assertThat(described.getLong("partitions[0].committed")).isEqualTo(first.offset() + 1);
    }

    @Test
    void trafficByTypeCountsWhatArrivesOnTheBus() throws Exception {
        CustomerEventFactory events = new CustomerEventFactory("console-test");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < 5; i++) {
                send(producer, events, "traffic-" + UUID.randomUUID(), System.currentTimeMillis());
            }
        }
        String admin = Tokens.withRole("ops", "bus-admin");
        await("product-use traffic seen")
                .atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                given().auth()
                                        .oauth2(admin)
                                        .get(BUS)
                                        .jsonPath()
                                        .getDouble("bus.eventsPerSecond.'product-use'"),
                        rate -> rate != null && rate > 0);
    }

    @Test
    void onlyOperatorsSeeTheBus() {
        given().get(BUS).then().statusCode(401).contentType("application/problem+json");
        given().auth()
                .oauth2(Tokens.withRole("alice", "analyst"))
                .get(BUS)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body(containsString("403"))
                .body("subscribers", equalTo(null));
        given().get("/console/").then().statusCode(200).body(containsString("Bus console"));
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private KafkaConsumer<byte[], byte[]> member(String group) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private static RecordMetadata send(
            KafkaProducer<String, byte[]> producer,
            CustomerEventFactory events,
            String user,
            long timestamp)
            throws Exception {
        ProducerRecord<String, byte[]> record =
                BusRecordCodec.encode(
                        BusTopics.CUSTOMER_EVENTS,
                        events.create(EventTypes.PRODUCT_USE, user, "p", null),
                        Optional.empty());
        return producer.send(
                        new ProducerRecord<>(
                                record.topic(),
                                null,
                                timestamp,
                                record.key(),
                                record.value(),
                                record.headers()))
                .get();
    }

    private static ProducerRecord<String, byte[]> describe(String name, String group) {
        SubscriberDescription description =
                new SubscriberDescription(
                        name,
                        group,
                        List.of("purchase", "refund"),
                        "beginning",
                        BusTopics.deadLetter(name),
                        null,
                        "test-team",
                        name + "-subscriber",
                        "1.2.3",
                        Instant.now());
        return new ProducerRecord<>(BusTopics.SUBSCRIBERS, group, description.toJson());
    }
}
