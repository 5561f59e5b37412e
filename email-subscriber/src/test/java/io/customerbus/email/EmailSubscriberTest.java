package io.customerbus.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.BusProbe;
import io.customerbus.events.testing.TestBroker;
import io.customerbus.runtime.subscriber.DeadLetters;
import io.customerbus.runtime.subscriber.Retries;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events on the real bus, emails read back from the real SMTP server. Where a test asserts that
 * nothing was sent, it first waits for a later event of the same customer (same partition, so
 * processed after) to be mailed.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
class EmailSubscriberTest {

    @Inject MeterRegistry metrics;

    private final CustomerEventFactory shop = new CustomerEventFactory("purchase-service");
    private final String user = "mail-" + UUID.randomUUID();
    private final String address = user + "@example.com";
    private final KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
                    new StringSerializer(),
                    new ByteArraySerializer());

    @BeforeEach
    void awaitConsuming() {
        await("subscriber ready")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> RestAssured.given().get("/q/health/ready").then().statusCode(200));
    }

    @AfterEach
    void close() {
        producer.close();
    }

    @Test
    void aPurchaseIsConfirmedOnceWithHtmlAndTextAndTheCustomersTextEscaped() throws Exception {
        CustomerEvent purchase = purchase(shop, "<b>Gadget</b> & co", address);
        publish(purchase);
        publish(purchase); // a redelivery

        List<Mailbox.Message> mails = awaitMails(address, 1);
        String reference = purchase.dataText("purchaseId");
        assertThat(mails.get(0).subject()).isEqualTo("Your order " + reference);
        String mime = mails.get(0).mime();
        assertThat(mime).contains("text/plain").contains("text/html");
        assertThat(mime).contains("&lt;b&gt;Gadget&lt;/b&gt; &amp; co").contains(reference);
        assertThat(mime).contains("Total:    19.98 EUR");
        // The HTML part goes out as one line (the mail client writes each line on its own).
        assertThat(mime)
                .containsPattern(
                        "(?m)^<!DOCTYPE html><html lang=\"en\">.*<th align=\"left\">Total</th>"
                                + "<td>19.98 EUR</td></tr></table>.*</html>\r?$");

        awaitMails(marker(), 1);
        assertThat(Mailbox.of(address)).hasSize(1);
    }

    @Test
    void aQuantityBeyondALongIsConfirmedAsWrittenAndHoldsUpNobody() throws Exception {
        CustomerEvent purchase =
                shop.create(
                        EventTypes.PURCHASE,
                        user,
                        "grains of sand",
                        Map.of(
                                "purchaseId",
                                UUID.randomUUID().toString(),
                                "quantity",
                                new java.math.BigInteger("123456789012345678901234"),
                                "unitPrice",
                                BigDecimal.ZERO,
                                "currency",
                                "EUR",
                                "email",
                                address));
        publish(purchase);

        assertThat(awaitMails(address, 1).get(0).mime())
                .contains("Quantity: 123456789012345678901234");
        awaitMails(marker(), 1);
    }

    @Test
    void pricesWrittenWithAnExponentReachTheCustomerWrittenOut() throws Exception {
        publish(
                shop.create(
                        EventTypes.PURCHASE,
                        user,
                        "lamp",
                        Map.of(
                                "purchaseId",
                                UUID.randomUUID().toString(),
                                "quantity",
                                2,
                                "unitPrice",
                                new BigDecimal("1E+2"),
                                "currency",
                                "EUR",
                                "email",
                                address)));

        assertThat(awaitMails(address, 1).get(0).mime())
                .contains("Price:    100 EUR")
                .contains("Total:    200 EUR")
                .doesNotContain("E+");
    }

    @Test
    void aRetryDueLaterHoldsUpNoneDueNowBehindIt() throws Exception {
        String later = "later-" + UUID.randomUUID() + "@example.com";
        CustomerEvent dueLater = purchase(shop, "late", later);
        CustomerEvent dueNow = purchase(shop, "due", address);
        // One customer's, so one partition: the one due in 40 s ahead of the one due now, written
        // in one transaction, so that the retry consumer reads them in one batch.
        try (KafkaProducer<String, byte[]> retries =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                TestBroker.bootstrapServers(),
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                "retries-" + UUID.randomUUID()),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            retries.initTransactions();
            retries.beginTransaction();
            retries.send(retried(dueLater, 7, Instant.now().plusSeconds(40)));
            retries.send(retried(dueNow, 1, Instant.now()));
            retries.commitTransaction();
        }

        await("the email due now")
                .atMost(Duration.ofSeconds(20))
                .until(() -> Mailbox.of(address).size() == 1);
        assertThat(Mailbox.of(later)).as("not due yet").isEmpty();
    }

    /** A record of the email subscriber's retry topic, as its Retries would write it. */
    private static ProducerRecord<String, byte[]> retried(
            CustomerEvent event, int attempts, Instant notBefore) {
        ProducerRecord<String, byte[]> record =
                BusRecordCodec.encode(BusTopics.retry("email"), event, Optional.empty());
        record.headers()
                .add(Retries.ATTEMPT, Integer.toString(attempts).getBytes(StandardCharsets.UTF_8))
                .add(Retries.NOT_BEFORE, notBefore.toString().getBytes(StandardCharsets.UTF_8))
                .add(Retries.LAST_ERROR, "SMTP 421".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    @Test
    void aNewAccountGetsAWelcome() throws Exception {
        publish(shop.create(EventTypes.ACCOUNT_CREATED, user, null, Map.of("email", address)));

        assertThat(awaitMails(address, 1).get(0).subject())
                .isEqualTo("Welcome to Customer Event Bus");
    }

    @Test
    void oldEventsAndEventsWithoutAnAddressAreSkippedAndCounted() throws Exception {
        double tooOld = skipped("too-old");
        double noRecipient = skipped("no-recipient");
        CustomerEventFactory twoDaysAgo =
                new CustomerEventFactory(
                        "purchase-service",
                        Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC));
        publish(purchase(twoDaysAgo, "old", address));
        publish(purchase(shop, "anonymous", null));

        awaitMails(marker(), 1);
        assertThat(Mailbox.of(address)).isEmpty();
        assertThat(skipped("too-old")).isEqualTo(tooOld + 1);
        assertThat(skipped("no-recipient")).isEqualTo(noRecipient + 1);
    }

    @Test
    void unwantedTypesAreSkippedOnTheHeaderWithoutReadingTheBody() throws Exception {
        double before = counter("bus.events.skipped");
        ProducerRecord<String, byte[]> use =
                BusRecordCodec.encode(
                        BusTopics.CUSTOMER_EVENTS,
                        shop.create(EventTypes.PRODUCT_USE, user, "p", null),
                        Optional.empty());
        // Not JSON at all: only a subscriber that read the body would notice (and dead-letter it).
        producer.send(
                        new ProducerRecord<>(
                                use.topic(),
                                null,
                                user,
                                "not json".getBytes(StandardCharsets.UTF_8),
                                use.headers()))
                .get();
        double deadBefore = counter("bus.events.dead.lettered");

        awaitMails(marker(), 1);
        assertThat(counter("bus.events.skipped")).isGreaterThanOrEqualTo(before + 1);
        assertThat(counter("bus.events.dead.lettered")).isEqualTo(deadBefore);
    }

    @Test
    void anInvalidAddressIsDeadLetteredWithItsReasonAndNothingIsSent() throws Exception {
        CustomerEvent purchase = purchase(shop, "book", address);
        ProducerRecord<String, byte[]> valid =
                BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, purchase, Optional.empty());
        byte[] broken =
                new String(valid.value(), StandardCharsets.UTF_8)
                        .replace(address, "not an address")
                        .getBytes(StandardCharsets.UTF_8);
        try (BusProbe dlq = new BusProbe(BusTopics.deadLetter("email"))) {
            producer.send(new ProducerRecord<>(valid.topic(), null, user, broken, valid.headers()))
                    .get();

            ConsumerRecord<String, byte[]> letter = awaitLetter(dlq, purchase);
            assertThat(BusHeaders.text(letter.headers(), DeadLetters.REASON))
                    .contains("data.email");
            assertThat(letter.key()).isEqualTo(user);
        }
        awaitMails(marker(), 1);
        assertThat(Mailbox.of(address)).isEmpty();
    }

    @Test
    void anAddressTheMailClientRefusesIsDeadLetteredAtOnceNotRetriedAsAnOutage() throws Exception {
        // The contract's email format takes a quoted local part with a space; the mail client
        // refuses it before it connects. It was retried eight times as a provider outage, and the
        // health check said the provider was in trouble.
        CustomerEvent purchase = purchase(shop, "book", "\"john smith\"@example.com");
        try (BusProbe dlq = new BusProbe(BusTopics.deadLetter("email"))) {
            publish(purchase);

            ConsumerRecord<String, byte[]> letter = awaitLetter(dlq, purchase);
            assertThat(BusHeaders.text(letter.headers(), DeadLetters.REASON))
                    .contains("the mail client refuses the address \"john smith\"@example.com");
        }
        awaitMails(marker(), 1);
        RestAssured.get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'smtp' }.data.smtp", equalTo("ok"));
    }

    /** A purchase of the same customer mailed to another address: processed after the others. */
    private String marker() throws Exception {
        String other = "marker-" + UUID.randomUUID() + "@example.com";
        publish(purchase(shop, "marker", other));
        return other;
    }

    private CustomerEvent purchase(CustomerEventFactory factory, String product, String email) {
        Map<String, Object> data = new HashMap<>();
        data.put("purchaseId", UUID.randomUUID().toString());
        data.put("quantity", 2);
        data.put("unitPrice", new BigDecimal("9.99"));
        data.put("totalPrice", new BigDecimal("19.98"));
        data.put("currency", "EUR");
        if (email != null) {
            data.put("email", email);
        }
        return factory.create(EventTypes.PURCHASE, user, product, data);
    }

    private void publish(CustomerEvent event) throws Exception {
        producer.send(BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, event, Optional.empty()))
                .get();
    }

    private static ConsumerRecord<String, byte[]> awaitLetter(BusProbe dlq, CustomerEvent event) {
        return await("dead letter")
                .atMost(Duration.ofSeconds(60))
                .until(() -> dlq.recordsOf(event.eventId()), r -> !r.isEmpty())
                .get(0);
    }

    private static List<Mailbox.Message> awaitMails(String address, int count) {
        return await("mail to " + address)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Mailbox.of(address), mails -> mails.size() >= count);
    }

    private double skipped(String reason) {
        var counter = metrics.find("email.skipped").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private double counter(String name) {
        var counter = metrics.find(name).tag("topic", BusTopics.CUSTOMER_EVENTS).functionCounter();
        return counter == null ? 0 : counter.count();
    }
}
