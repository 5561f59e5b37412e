package io.customerbus.runtime.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.kafka.EventTypeFilter;
import io.customerbus.events.testing.BusProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The subscriber toolkit on the real bus: type filter, batches, history versus live. */
class BusSubscriberIT {

    private static final String BOOTSTRAP =
            System.getProperty("kafka.bootstrap.servers", "127.0.0.1:9092");

    private final String user = "toolkit-" + UUID.randomUUID();
    private final CustomerEventFactory events = new CustomerEventFactory("toolkit-it");
    private final List<BusEvent> received = new CopyOnWriteArrayList<>();
    private final KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP),
                    new StringSerializer(),
                    new ByteArraySerializer());
    private BusSubscriber subscriber;

    @AfterEach
    void stop() throws InterruptedException {
        producer.close();
        if (subscriber != null) {
            subscriber.close();
        }
    }

    /** Its DLQ, in case the bus holds records that break the contract (other tests write some). */
    @BeforeAll
    static void deadLetterTopic() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP))) {
            admin.createTopics(
                            List.of(new NewTopic(BusTopics.deadLetter("toolkit-it"), 6, (short) 1)))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @Test
    void aNewGroupSeesWhatWasAlreadyOnTheBusAsHistoryAndLaterEventsAsLive() throws Exception {
        CustomerEvent before = publish(EventTypes.PRODUCT_USE);
        CustomerEvent unwanted = publish(EventTypes.SUPPORT_CALL);

        subscriber =
                new BusSubscriber(
                        newGroup("earliest"),
                        batch ->
                                batch.stream()
                                        .filter(e -> e.event().userId().equals(user))
                                        .forEach(received::add));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SubscriberMetrics.bind(registry, subscriber);
        subscriber.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
        CustomerEvent after = publish(EventTypes.PRODUCT_USE);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 2);

        assertThat(received.get(0).event()).isEqualTo(before);
        assertThat(received.get(0).replayed())
                .as("on the bus before the group's first start")
                .isTrue();
        assertThat(received.get(1).event()).isEqualTo(after);
        assertThat(received.get(1).replayed()).as("published while the group was live").isFalse();
        assertThat(received)
                .extracting(e -> e.event().eventId())
                .doesNotContain(unwanted.eventId());
        assertThat(subscriber.skipped()).isPositive();
        // The same, by type, as the metrics endpoint shows it; and nothing left to read.
        assertThat(countByType(registry, "applied", "product-use")).isGreaterThanOrEqualTo(2);
        assertThat(countByType(registry, "skipped", "support-call")).isGreaterThanOrEqualTo(1);
        assertThat(
                        registry.find("bus.events.by.type")
                                .tag("type", "product-use")
                                .tag("outcome", "skipped")
                                .functionCounter())
                .isNull();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> registry.get("bus.subscriber.lag.records").gauge().value() == 0);
        // The live event's delay to applied is timed (at least it; others' tests publish too).
        assertThat(registry.get("bus.subscriber.event.to.applied").timer().count())
                .isGreaterThanOrEqualTo(1);
    }

    private static double countByType(SimpleMeterRegistry registry, String outcome, String type) {
        return registry.get("bus.events.by.type")
                .tags("subscriber", "toolkit-it", "outcome", outcome, "type", type)
                .functionCounter()
                .count();
    }

    @Test
    void anEventTheHandlerRejectsIsDeadLetteredAndTheRestOfItsBatchApplied() throws Exception {
        try (BusProbe dlq = new BusProbe(BusTopics.deadLetter("toolkit-it"))) {
            subscriber =
                    new BusSubscriber(
                            newGroup("earliest"),
                            batch -> {
                                for (BusEvent e : batch) {
                                    if (e.event().userId().equals(user)
                                            && e.event().productId().equals("bad")) {
                                        throw new PoisonEventException(
                                                e.event().eventId(), "product 'bad' is unknown");
                                    }
                                }
                                batch.stream()
                                        .filter(e -> e.event().userId().equals(user))
                                        .forEach(received::add);
                            });
            subscriber.start();
            CustomerEvent bad = events.create(EventTypes.PRODUCT_USE, user, "bad", Map.of());
            send(bad);
            CustomerEvent good = publish(EventTypes.PRODUCT_USE);

            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
            assertThat(received.get(0).event()).isEqualTo(good);
            var letters =
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> dlq.recordsOf(bad.eventId()), r -> !r.isEmpty());
            assertThat(BusHeaders.text(letters.get(0).headers(), DeadLetters.REASON))
                    .isEqualTo("product 'bad' is unknown");
        }
    }

    @Test
    void aReaderStoppedByAnErrorItCannotGetPastIsNoLongerReady() throws Exception {
        subscriber =
                new BusSubscriber(
                        newGroup("latest"),
                        batch -> {
                            if (batch.stream().anyMatch(e -> e.event().userId().equals(user))) {
                                throw new OutOfMemoryError("simulated: not an Exception to retry");
                            }
                        });
        subscriber.start();
        await().atMost(Duration.ofSeconds(30)).until(subscriber::joined);

        publish(EventTypes.PRODUCT_USE);

        await().atMost(Duration.ofSeconds(30)).until(() -> !subscriber.consuming());
        assertThat(subscriber.joined()).as("ready").isFalse();
        assertThat(subscriber.lagRecords()).isNaN();
    }

    /** A group of its own, wanting product-use events. */
    private static SubscriberSettings newGroup(String autoOffsetReset) {
        return new SubscriberSettings(
                "toolkit-it",
                "toolkit-it-" + UUID.randomUUID(),
                EventTypeFilter.parse("product-use"),
                BOOTSTRAP,
                autoOffsetReset,
                500);
    }

    private void send(CustomerEvent event) throws Exception {
        producer.send(BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, event, Optional.empty()))
                .get();
    }

    private CustomerEvent publish(String type) throws Exception {
        Map<String, Object> data =
                EventTypes.SUPPORT_CALL.equals(type)
                        ? Map.of(
                                "callId",
                                UUID.randomUUID().toString(),
                                "channel",
                                "chat",
                                "summary",
                                "hello")
                        : Map.of();
        CustomerEvent event = events.create(type, user, "prod-1", data);
        send(event);
        return event;
    }
}
