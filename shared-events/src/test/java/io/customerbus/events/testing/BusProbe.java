package io.customerbus.events.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.events.kafka.BusHeaders;
import io.customerbus.events.kafka.BusTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the real bus from the moment it is opened: what a test's actions put on customer-events (or
 * another topic), with keys and headers, and nothing that earlier tests left there.
 */
public final class BusProbe implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    public BusProbe() {
        this(BusTopics.CUSTOMER_EVENTS);
    }

    /** Reads another topic of the bus, e.g. a subscriber's dead-letter topic. */
    public BusProbe(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Everything published since the probe opened, up to the current end of every partition. */
    public List<ConsumerRecord<String, byte[]>> readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (end.entrySet().stream()
                .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            assertThat(System.nanoTime()).as("reading the bus to its end").isLessThan(deadline);
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    /** The records whose ce_id is the given event id. */
    public List<ConsumerRecord<String, byte[]>> recordsOf(UUID eventId) {
        return readToEnd().stream()
                .filter(
                        r ->
                                eventId.toString()
                                        .equals(BusHeaders.text(r.headers(), BusHeaders.CE_ID)))
                .collect(Collectors.toList());
    }

    /** The records with the given key (a customer's userId). */
    public List<ConsumerRecord<String, byte[]>> recordsWithKey(String key) {
        return readToEnd().stream().filter(r -> key.equals(r.key())).collect(Collectors.toList());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
