package io.customerbus.runtime.subscriber;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.BusPublisher;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * What is on the bus before the test application's groups first start: the test customer's first
 * event (history to a new group), and the test subscribers' DLQ topics.
 */
public class BusBeforeStart implements QuarkusTestResourceLifecycleManager {

    static final String BOOTSTRAP = System.getProperty("kafka.bootstrap.servers", "127.0.0.1:9092");

    @Override
    public Map<String, String> start() {
        String user = "toolkit-" + UUID.randomUUID();
        try {
            deadLetterTopics();
            CustomerEvent before =
                    new CustomerEventFactory("toolkit-it")
                            .create(EventTypes.PRODUCT_USE, user, "prod-1", Map.of());
            try (BusPublisher bus = new BusPublisher(BOOTSTRAP)) {
                bus.publish(before);
            }
            return Map.of(
                    "toolkit-it.user", user,
                    "toolkit-it.before", before.eventId().toString(),
                    "kafka.bootstrap.servers", BOOTSTRAP);
        } catch (Exception e) {
            throw new IllegalStateException("could not prepare the bus", e);
        }
    }

    private static void deadLetterTopics() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP))) {
            for (String channel : List.of("collect", "poison", "fatal")) {
                try {
                    admin.createTopics(
                                    List.of(
                                            new NewTopic(
                                                    BusTopics.deadLetter("toolkit-" + channel),
                                                    6,
                                                    (short) 1)))
                            .all()
                            .get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    @Override
    public void stop() {}
}
