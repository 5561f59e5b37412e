package io.customerbus.runtime.subscriber;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    private static ConsumerRecord<String, byte[]> record(String topic, int partition, long offset) {
        return new ConsumerRecord<>(topic, partition, offset, "user-1", bytes("{}"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
