package io.customerbus.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Contract events through the real broker that ./platform starts, and back. */
class CustomerEventBusIT {

    private static final String BOOTSTRAP =
            System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    private static final TraceContext TRACE =
            new TraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);

    private static Admin admin;
    private final CustomerEventFactory factory = new CustomerEventFactory("purchase-service");

    @BeforeAll
    static void connect() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP));
    }

    @AfterAll
    static void disconnect() {
        admin.close();
    }

    @Test
    void theBusTopicIsKeptForeverAndNotAutoCreated() throws Exception {
        ConfigResource bus =
                new ConfigResource(ConfigResource.Type.TOPIC, BusTopics.CUSTOMER_EVENTS);
        Config config = admin.describeConfigs(List.of(bus)).all().get().get(bus);

        assertThat(config.get("retention.ms").value()).isEqualTo("-1");
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(
                        admin.describeTopics(List.of(BusTopics.CUSTOMER_EVENTS))
                                .allTopicNames()
                                .get()
                                .get(BusTopics.CUSTOMER_EVENTS)
                                .partitions())
                .hasSize(6);
    }

    @Test
    void publishedEventsComeBackWithKeyHeadersBodyAndPerCustomerOrder() throws Exception {
        String topic = "contract-it-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        List<CustomerEvent> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String user = "user-" + (i % 2);
            sent.add(factory.create(EventTypes.PRODUCT_USE, user, "prod-" + i, Map.of("seq", i)));
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (CustomerEvent event : sent) {
                producer.send(BusRecordCodec.encode(topic, event, Optional.of(TRACE))).get();
            }
        }

        List<ConsumerRecord<String, byte[]>> received = consumeAll(topic, sent.size());

        for (ConsumerRecord<String, byte[]> record : received) {
            BusRecord.Wanted read =
                    (BusRecord.Wanted) BusRecordCodec.decode(record, EventTypeFilter.all());
            assertThat(record.key()).isEqualTo(read.event().userId());
            assertThat(BusHeaders.text(record.headers(), "ce_id"))
                    .isEqualTo(read.event().eventId().toString());
            assertThat(BusHeaders.text(record.headers(), "ce_type")).isEqualTo("product-use");
            assertThat(read.trace()).contains(TRACE);
            assertThat(sent).contains(read.event());
        }
        for (String user : List.of("user-0", "user-1")) {
            assertThat(received.stream().filter(r -> r.key().equals(user)).map(r -> decodeSeq(r)))
                    .as("per-customer order of " + user)
                    .isSorted()
                    .hasSize(5);
        }
        admin.deleteTopics(List.of(topic)).all().get();
    }

    private static int decodeSeq(ConsumerRecord<String, byte[]> record) {
        CustomerEvent event =
                ((BusRecord.Wanted) BusRecordCodec.decode(record, EventTypeFilter.all())).event();
        return ((Number) event.data().get("seq")).intValue();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static List<ConsumerRecord<String, byte[]>> consumeAll(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "contract-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        assertThat(received).hasSize(expected);
        return received;
    }
}
