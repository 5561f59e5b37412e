package io.customerbus.__PKG__;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.kafka.EventTypeFilter;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Against a real broker (./platform test's, or Dev Services'): only the chosen types arrive, each once. */
@QuarkusTest
class __CLASS__SubscriptionTest {

    @Test
    void receivesItsTypesOnceAndNothingElse() throws Exception {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        String types =
                ConfigProvider.getConfig().getValue("__PROP__.types", String.class);
        // A subscriber of every type ('*') is sent a purchase: '*' is no type an event can have.
        String wanted = types.equals("*") ? "purchase" : types.split(",")[0];
        String unwanted = EventTypeFilter.parse(types).accepts("generated-test-other") ? null : "generated-test-other";
        CustomerEventFactory events = new CustomerEventFactory("generated-test");
        String user = "gen-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                // the broker the subscriber under test reads: ./platform test's or Dev Services'
                                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            // The unwanted type first: same customer, same partition, so once the wanted event has
            // arrived, the unwanted one has been read (and skipped) before it.
            if (unwanted != null) {
                producer.send(
                                BusRecordCodec.encode(
                                        BusTopics.CUSTOMER_EVENTS,
                                        events.create(unwanted, user, "p", null),
                                        Optional.empty()))
                        .get();
            }
            var event = events.create(wanted, user, "p", sampleData(wanted, user));
            producer.send(BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, event, Optional.empty())).get();
            producer.send(BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, event, Optional.empty())).get();
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                given().queryParam("user", user)
                                        .get("/api/__NAME__/v1/received")
                                        .then()
                                        .statusCode(200)
                                        .body("'" + wanted + "'", equalTo(1)));
        // The redelivered copy counted once; the unwanted type not at all.
        given().queryParam("user", user)
                .get("/api/__NAME__/v1/received")
                .then()
                .body("size()", equalTo(1));
    }

    /** Valid data for the known types, so the event passes the schema. */
    private static Map<String, Object> sampleData(String type, String user) {
        return switch (type) {
            case "purchase" -> Map.of("purchaseId", UUID.randomUUID().toString(), "quantity", 1, "unitPrice", 1, "currency", "EUR");
            case "refund" -> Map.of("purchaseId", UUID.randomUUID().toString(), "quantity", 1, "amount", 1, "currency", "EUR");
            case "product-transfer" -> Map.of("toUserId", user + "-friend");
            case "account-created" -> Map.of("email", "someone@example.com");
            case "support-call" -> Map.of("callId", UUID.randomUUID().toString(), "channel", "phone", "summary", "hi");
            default -> Map.of();
        };
    }
}
