package io.customerbus.runtime.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ForwardedTest {

    @Test
    void aRecordFromTheBusIsItsOwnOrigin() {
        ConsumerRecord<String, byte[]> fromBus = record("customer-events", 3, 41);

        assertThat(Forwarded.origin(fromBus, "t", "p", "o"))
                .isEqualTo(Map.of("t", "customer-events", "p", "3", "o", "41"));
    }

    @Test
    void aCopyInTheRetryTopicNamesThePlaceOnTheBusItCameFromThroughEveryRound() {
        ConsumerRecord<String, byte[]> fromBus = record("customer-events", 3, 41);
        ConsumerRecord<String, byte[]> firstRetry = record("customer-events.email.retry", 0, 7);
        Forwarded.copy(
                        fromBus,
                        "customer-events.email.retry",
                        Forwarded.origin(
                                fromBus,
                                Forwarded.ORIGIN_TOPIC,
                                Forwarded.ORIGIN_PARTITION,
                                Forwarded.ORIGIN_OFFSET))
                .headers()
                .forEach(firstRetry.headers()::add);
        ConsumerRecord<String, byte[]> secondRetry = record("customer-events.email.retry", 1, 9);
        Forwarded.copy(
                        firstRetry,
                        "customer-events.email.retry",
                        Forwarded.origin(
                                firstRetry,
                                Forwarded.ORIGIN_TOPIC,
                                Forwarded.ORIGIN_PARTITION,
                                Forwarded.ORIGIN_OFFSET))
                .headers()
                .forEach(secondRetry.headers()::add);

        assertThat(
                        Forwarded.origin(
                                secondRetry,
                                DeadLetters.ORIGINAL_TOPIC,
                                DeadLetters.ORIGINAL_PARTITION,
                                DeadLetters.ORIGINAL_OFFSET))
                .isEqualTo(
                        Map.of(
                                DeadLetters.ORIGINAL_TOPIC, "customer-events",
                                DeadLetters.ORIGINAL_PARTITION, "3",
                                DeadLetters.ORIGINAL_OFFSET, "41"));
    }

    @Test
    void aReDrivenLetterKeepsThePlaceOnTheBusItsDeadLetterNamed() {
        ConsumerRecord<String, byte[]> letter = record("customer-events.email.dlq", 0, 2);
        letter.headers().add(DeadLetters.ORIGINAL_TOPIC, bytes("customer-events"));
        letter.headers().add(DeadLetters.ORIGINAL_PARTITION, bytes("5"));
        letter.headers().add(DeadLetters.ORIGINAL_OFFSET, bytes("1200"));

        assertThat(
                        Forwarded.origin(
                                letter,
                                Forwarded.ORIGIN_TOPIC,
                                Forwarded.ORIGIN_PARTITION,
                                Forwarded.ORIGIN_OFFSET))
                .containsEntry(Forwarded.ORIGIN_PARTITION, "5")
                .containsEntry(Forwarded.ORIGIN_OFFSET, "1200");
    }

    @Test
    void theTimeOnTheBusGoesWithEveryCopyAndANonsenseOneIsNotBelieved() {
        ConsumerRecord<String, byte[]> fromBus = record("customer-events", 3, 41);
        Instant onTheBus = Forwarded.originTime(fromBus);
        ConsumerRecord<String, byte[]> retry = record("customer-events.email.retry", 0, 7);
        retry.headers().add(Forwarded.ORIGIN_TIME, bytes(onTheBus.toString()));
        ConsumerRecord<String, byte[]> letter = record("customer-events.email.dlq", 0, 2);
        letter.headers()
                .add(DeadLetters.ORIGINAL_TIME, bytes(Forwarded.originTime(retry).toString()));
        ConsumerRecord<String, byte[]> forged = record("customer-events.email.retry", 0, 8);
        forged.headers().add(Forwarded.ORIGIN_TIME, bytes("yesterday"));

        assertThat(onTheBus).isEqualTo(Instant.ofEpochMilli(fromBus.timestamp()));
        assertThat(Forwarded.originTime(letter)).isEqualTo(onTheBus);
        assertThat(Forwarded.originTime(forged))
                .isEqualTo(Instant.ofEpochMilli(forged.timestamp()));
    }

    private static ConsumerRecord<String, byte[]> record(String topic, int partition, long offset) {
        // Each its own time: a copy is written later than what it copies.
        long writtenAt = 1_765_000_000_000L + offset * 1_000;
        return new ConsumerRecord<>(
                topic,
                partition,
                offset,
                writtenAt,
                TimestampType.CREATE_TIME,
                0,
                0,
                "user-1",
                bytes("{}"),
                new RecordHeaders(),
                Optional.empty());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
