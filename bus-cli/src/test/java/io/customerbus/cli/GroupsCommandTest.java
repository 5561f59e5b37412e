package io.customerbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusRecordCodec;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.runtime.subscriber.ReplayBoundary;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@QuarkusMainTest
class GroupsCommandTest {

    @Test
    void showsLagInRecordsAndSecondsAndTheReplayBoundary(QuarkusMainLauncher launcher)
            throws Exception {
        String user = "groups-" + UUID.randomUUID();
        CustomerEventFactory events = new CustomerEventFactory("cli-test");
        RecordMetadata last = null;
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBus.BOOTSTRAP),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                last =
                        producer.send(
                                        BusRecordCodec.encode(
                                                BusTopics.CUSTOMER_EVENTS,
                                                events.create(
                                                        EventTypes.PRODUCT_USE, user, "p", null),
                                                Optional.empty()))
                                .get();
            }
        }
        String group = "cli-groups-" + UUID.randomUUID();
        TopicPartition partition = new TopicPartition(BusTopics.CUSTOMER_EVENTS, last.partition());
        long end = last.offset() + 1;
        commit(
                group,
                partition,
                new OffsetAndMetadata(end - 2, new ReplayBoundary(end).metadata()));

        LaunchResult result = launcher.launch("groups", "-b", TestBus.BOOTSTRAP, "--group", group);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.getOutput())
                .containsPattern(row(group, partition, end - 2, end, 2) + "\\s+\\d+\\s+" + end);
    }

    @Test
    void aGroupCaughtUpWithWhatIsCommittedHasNoLagWhileAPublishersTransactionIsOpen(
            QuarkusMainLauncher launcher) throws Exception {
        String group = "cli-groups-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> relay =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                TestBus.BOOTSTRAP,
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                group),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            relay.initTransactions();
            relay.beginTransaction();
            // Sent, not committed: subscribers (read_committed) cannot read it or anything after.
            RecordMetadata open =
                    relay.send(
                                    BusRecordCodec.encode(
                                            BusTopics.CUSTOMER_EVENTS,
                                            new CustomerEventFactory("cli-test")
                                                    .create(
                                                            EventTypes.PRODUCT_USE,
                                                            "groups-" + UUID.randomUUID(),
                                                            "p",
                                                            null),
                                            Optional.empty()))
                            .get();
            TopicPartition partition = new TopicPartition(open.topic(), open.partition());
            commit(group, partition, new OffsetAndMetadata(open.offset()));

            LaunchResult result =
                    launcher.launch("groups", "-b", TestBus.BOOTSTRAP, "--group", group);

            assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(result.getOutput())
                    .containsPattern(
                            row(group, partition, open.offset(), open.offset(), 0) + "\\s");
            relay.abortTransaction();
        }
    }

    @Test
    void anUnknownGroupIsNotFound(QuarkusMainLauncher launcher) {
        LaunchResult result =
                launcher.launch(
                        "groups",
                        "-b",
                        TestBus.BOOTSTRAP,
                        "--group",
                        "no-such-group-" + UUID.randomUUID());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.getErrorOutput()).contains("no consumer group");
    }

    /** The start of a partition's row for an empty group: committed, end and lag in records. */
    private static String row(
            String group, TopicPartition partition, long committed, long end, long lag) {
        return group
                + "\\s+Empty\\s+0\\s+"
                + partition.partition()
                + "\\s+"
                + committed
                + "\\s+"
                + end
                + "\\s+"
                + lag;
    }

    /** Commits the group's position on the partition, as a member of it would. */
    private static void commit(String group, TopicPartition partition, OffsetAndMetadata offset) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                TestBus.BOOTSTRAP,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                group),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.commitSync(Map.of(partition, offset));
        }
    }
}
