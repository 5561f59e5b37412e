package io.customerbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.TestGroups;
import io.customerbus.runtime.catalog.SubscriberDescription;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@QuarkusMainTest
class SubscribersCommandTest {

    @Test
    void listsEachDescribedSubscriberWithItsLagAndDeadLetters(QuarkusMainLauncher launcher)
            throws Exception {
        String name = "t" + UUID.randomUUID().toString().substring(0, 8);
        String group = name + "-subscriber";
        String deadLetters = BusTopics.deadLetter(name);
        // Three events of one customer, two minutes old; the group has applied the first.
        long twoMinutesAgo = Instant.now().minusSeconds(120).toEpochMilli();
        CustomerEventFactory events = new CustomerEventFactory("cli-test");
        String user = "subs-" + UUID.randomUUID();
        List<RecordMetadata> sent =
                TestBus.publish(
                        List.of(
                                events.create(EventTypes.PRODUCT_USE, user, "p", null),
                                events.create(EventTypes.PRODUCT_USE, user, "p", null),
                                events.create(EventTypes.PRODUCT_USE, user, "p", null)),
                        List.of(twoMinutesAgo, twoMinutesAgo, twoMinutesAgo));
        RecordMetadata first = sent.get(0);
        try (KafkaConsumer<byte[], byte[]> member = TestGroups.member(group)) {
            member.commitSync(
                    Map.of(
                            new TopicPartition(BusTopics.CUSTOMER_EVENTS, first.partition()),
                            new OffsetAndMetadata(first.offset() + 1)));
        }
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBus.BOOTSTRAP))) {
            admin.createTopics(List.of(new NewTopic(deadLetters, 1, (short) 1))).all().get();
        }
        String gone = name + "-retired";
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBus.BOOTSTRAP),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(deadLetters, "a", new byte[] {1})).get();
            producer.send(new ProducerRecord<>(deadLetters, "b", new byte[] {2})).get();
            producer.send(describe(name, group, "9.9.9")).get();
            producer.send(describe(name, gone, "1.0.0")).get();
            // A retired deployment's entry is deleted with a tombstone.
            producer.send(new ProducerRecord<>(BusTopics.SUBSCRIBERS, gone, null)).get();
        }

        LaunchResult result = launcher.launch("subscribers", "-b", TestBus.BOOTSTRAP);

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.OK);
        assertThat(result.getOutput())
                .containsPattern(
                        "(?m)^"
                                + name
                                + "\\s+"
                                + group
                                + "\\s+purchase,refund\\s+beginning\\s+test-team\\s+9\\.9\\.9"
                                + "\\s+0\\s+2\\s+1[2-9]\\d\\s+2$")
                .doesNotContain(gone);
    }

    private static ProducerRecord<String, byte[]> describe(
            String name, String group, String version) {
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
                        version,
                        Instant.now());
        return new ProducerRecord<>(BusTopics.SUBSCRIBERS, group, description.toJson());
    }
}
