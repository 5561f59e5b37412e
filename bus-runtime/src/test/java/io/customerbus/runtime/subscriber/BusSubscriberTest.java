package io.customerbus.runtime.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.BusProbe;
import io.customerbus.events.testing.BusPublisher;
import io.customerbus.events.testing.TestBroker;
import io.customerbus.events.testing.TestGroups;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The subscriber toolkit plugged into the Kafka connector, on the real bus: type filter, batches,
 * history versus live, poison events, a channel stopped by an error.
 */
@QuarkusTest
@QuarkusTestResource(BusBeforeStart.class)
class BusSubscriberTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject ToolkitChannels channels;
    @Inject BusSubscribers subscribers;
    @Inject MeterRegistry registry;

    @ConfigProperty(name = "toolkit-it.user")
    String user;

    @ConfigProperty(name = "toolkit-it.before")
    String before;

    @ConfigProperty(name = "mp.messaging.incoming.collect.group.id")
    String group;

    @ConfigProperty(name = "mp.messaging.incoming.poison.group.id")
    String poisonGroup;

    private final CustomerEventFactory events = new CustomerEventFactory("toolkit-it");
    private final BusPublisher bus = new BusPublisher();

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void aNewGroupSeesWhatWasAlreadyOnTheBusAsHistoryAndLaterEventsAsLive() throws Exception {
        await().atMost(WAIT).until(() -> channels.collected().size() == 1);
        CustomerEvent unwanted = publish(EventTypes.SUPPORT_CALL, "prod-1");
        CustomerEvent after = events.create(EventTypes.PRODUCT_USE, user, "prod-1", Map.of());
        RecordMetadata onBus = bus.publish(after);
        await().atMost(WAIT).until(() -> channels.collected().size() == 2);
        // What was applied is committed (within the commit interval) where operators' tools and a
        // restarted member read it: the broker holds the group's position past the event.
        TopicPartition partition = new TopicPartition(onBus.topic(), onBus.partition());
        await().atMost(WAIT)
                .until(
                        () ->
                                Optional.ofNullable(TestGroups.committed(group).get(partition))
                                        .map(OffsetAndMetadata::offset)
                                        .orElse(-1L),
                        committed -> committed > onBus.offset());

        var received = channels.collected();
        assertThat(received.get(0).event().eventId()).hasToString(before);
        assertThat(received.get(0).replayed())
                .as("on the bus before the group's first start")
                .isTrue();
        assertThat(received.get(1).event()).isEqualTo(after);
        assertThat(received.get(1).replayed()).as("published while the group was live").isFalse();
        assertThat(received)
                .extracting(e -> e.event().eventId())
                .doesNotContain(unwanted.eventId());
        // The same, by type, as the metrics endpoint shows it; and nothing left to read.
        assertThat(countByType("applied", "product-use")).isGreaterThanOrEqualTo(2);
        assertThat(countByType("skipped", "support-call")).isGreaterThanOrEqualTo(1);
        assertThat(
                        registry.find("bus.events.by.type")
                                .tag("subscriber", "toolkit-collect")
                                .tag("type", "product-use")
                                .tag("outcome", "skipped")
                                .functionCounter())
                .isNull();
        await().atMost(WAIT).until(() -> subscriber("collect").lagRecords() == 0);
        // The live event's delay to applied is timed (at least it; others' tests publish too).
        assertThat(
                        registry.get("bus.subscriber.event.to.applied")
                                .tag("subscriber", "toolkit-collect")
                                .timer()
                                .count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void anEventTheHandlerRejectsIsDeadLetteredAndTheRestOfItsBatchApplied() throws Exception {
        try (BusProbe dlq = new BusProbe(BusTopics.deadLetter("toolkit-poison"))) {
            await().atMost(WAIT).until(() -> subscriber("poison").ready());
            CustomerEvent bad = publish(EventTypes.PRODUCT_USE, "bad");
            CustomerEvent good = publish(EventTypes.PRODUCT_USE, "kept");

            await().atMost(WAIT)
                    .until(
                            () ->
                                    channels.survivors().stream()
                                            .anyMatch(e -> e.event().equals(good)));
            assertThat(channels.survivors())
                    .extracting(e -> e.event().eventId())
                    .doesNotContain(bad.eventId());
            var letters =
                    await().atMost(WAIT)
                            .until(() -> dlq.recordsOf(bad.eventId()), r -> !r.isEmpty());
            assertThat(BusHeaders.text(letters.get(0).headers(), DeadLetters.REASON))
                    .isEqualTo("product 'bad' is unknown");
        }
    }

    @Test
    void aRecordTooLargeForALetterIsDeadLetteredCutAndTheRestApplied() throws Exception {
        // 3 MB of JSON, compressed by a producer that raised its own limit: the broker takes it
        // (it checks the compressed size), but no letter could hold it whole. The handler refuses
        // it (product "bad"); its letter was refused, and the subscriber retried it for good,
        // applying nothing after it.
        CustomerEvent large =
                events.create(EventTypes.PRODUCT_USE, user, "bad", Map.of("note", "n"));
        ProducerRecord<String, byte[]> encoded =
                BusRecordCodec.encode(BusTopics.CUSTOMER_EVENTS, large, Optional.empty());
        byte[] value =
                new String(encoded.value(), StandardCharsets.UTF_8)
                        .replace("\"note\":\"n\"", "\"note\":\"" + "n".repeat(3_000_000) + "\"")
                        .getBytes(StandardCharsets.UTF_8);
        try (BusProbe dlq = new BusProbe(BusTopics.deadLetter("toolkit-poison"));
                KafkaProducer<String, byte[]> compressing =
                        new KafkaProducer<>(
                                Map.of(
                                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        TestBroker.bootstrapServers(),
                                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                                        "gzip",
                                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                        8_000_000),
                                new StringSerializer(),
                                new ByteArraySerializer())) {
            await().atMost(WAIT).until(() -> subscriber("poison").ready());
            RecordMetadata onBus =
                    compressing
                            .send(
                                    new ProducerRecord<>(
                                            encoded.topic(),
                                            null,
                                            encoded.key(),
                                            value,
                                            encoded.headers()))
                            .get();
            CustomerEvent good = publish(EventTypes.PRODUCT_USE, "kept-after-large");

            await().atMost(WAIT)
                    .until(
                            () ->
                                    channels.survivors().stream()
                                            .anyMatch(e -> e.event().equals(good)));
            var letter =
                    await().atMost(WAIT)
                            .until(() -> dlq.recordsOf(large.eventId()), r -> !r.isEmpty())
                            .get(0);
            assertThat(BusHeaders.text(letter.headers(), DeadLetters.REASON))
                    .isEqualTo("product 'bad' is unknown");
            assertThat(BusHeaders.text(letter.headers(), DeadLetters.CUT))
                    .startsWith("too large for a letter: it holds the value's first ")
                    .contains(" of " + value.length + " bytes")
                    .endsWith(
                            "; the whole record is at "
                                    + onBus.topic()
                                    + "-"
                                    + onBus.partition()
                                    + "@"
                                    + onBus.offset());
            assertThat(letter.key()).isEqualTo(user);
            assertThat(new String(letter.value(), StandardCharsets.UTF_8))
                    .startsWith(new String(value, 0, 1_000, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aChannelStoppedByAnErrorItCannotGetPastIsNoLongerReady() throws Exception {
        BusSubscriber fatal = subscriber("fatal");
        await().atMost(WAIT).until(fatal::ready);

        publish(EventTypes.PRODUCT_USE, "fatal");

        await().atMost(WAIT).until(() -> !fatal.ready());
        assertThat(fatal.lagRecords()).isNaN();
    }

    @Test
    void aSubscriberThatCannotApplyItsBatchShowsItsLagUntilItCan() throws Exception {
        BusSubscriber stalled = subscriber("stall");
        await().atMost(WAIT).until(stalled::ready);

        publish(EventTypes.PRODUCT_USE, "stall");

        // Fetched and tried twice: the consumer's position is past the event, which is not
        // applied. The gauge counts from what was applied, and keeps counting without commits.
        await().atMost(WAIT).until(() -> channels.stalledAttempts() >= 2);
        await().atMost(WAIT).until(() -> stalled.lagRecords() >= 1);
        channels.storeUp();
        await().atMost(WAIT).until(() -> stalled.lagRecords() == 0);
    }

    @Test
    void aNewGroupStartingAtTheEndHoldsThatStartOnTheBrokerBeforeItAppliesAnything() {
        // With "latest", where a never-committed partition starts is pinned when it is assigned:
        // committed at once, so a member that crashes before it applied anything there is followed
        // by one that starts where it did, not at the end as of its own, later assignment.
        Map<TopicPartition, Long> ends = TestGroups.busEnds();
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(TestGroups.committed(poisonGroup).keySet())
                                        .containsExactlyInAnyOrderElementsOf(ends.keySet()));
    }

    private BusSubscriber subscriber(String channel) {
        return subscribers.started().stream()
                .filter(s -> s.settings().name().equals("toolkit-" + channel))
                .findFirst()
                .orElseThrow();
    }

    private double countByType(String outcome, String type) {
        return registry
                .find("bus.events.by.type")
                .tags("outcome", outcome, "type", type)
                .functionCounters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private CustomerEvent publish(String type, String product) throws Exception {
        Map<String, Object> data =
                EventTypes.SUPPORT_CALL.equals(type)
                        ? Map.of(
                                "callId", UUID.randomUUID().toString(),
                                "channel", "chat",
                                "summary", "hello")
                        : Map.of();
        CustomerEvent event = events.create(type, user, product, data);
        bus.publish(event);
        return event;
    }
}
