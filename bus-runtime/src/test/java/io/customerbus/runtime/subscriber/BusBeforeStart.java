package io.customerbus.runtime.subscriber;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.BusPublisher;
import io.quarkus.test.common.DevServicesContext;
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
 * event (history to a new group), and the test subscribers' DLQ topics. The broker is ./platform
 * test's (KAFKA_BOOTSTRAP_SERVERS) or, where Docker runs, the one Dev Services started.
 */
public class BusBeforeStart
        implements QuarkusTestResourceLifecycleManager, DevServicesContext.ContextAware {

    private String bootstrap = System.getenv("KAFKA_BOOTSTRAP_SERVERS");

    @Override
    public void setIntegrationTestContext(DevServicesContext context) {
        String started = context.devServicesProperties().get("kafka.bootstrap.servers");
        if (started != null) {
            bootstrap = started;
        }
    }

    @Override
    public Map<String, String> start() {
        if (bootstrap == null) {
            throw new IllegalStateException(
                    "no broker: run ./platform test, or mvn verify where Docker runs");
        }
        String user = "toolkit-" + UUID.randomUUID();
        try {
            deadLetterTopics();
            CustomerEvent before =
                    new CustomerEventFactory("toolkit-it")
                            .create(EventTypes.PRODUCT_USE, user, "prod-1", Map.of());
            try (BusPublisher bus = new BusPublisher(bootstrap)) {
                bus.publish(before);
            }
            // The application finds the same broker itself (KAFKA_BOOTSTRAP_SERVERS or Dev
            // Services).
            return Map.of(
                    "toolkit-it.user", user, "toolkit-it.before", before.eventId().toString());
        } catch (Exception e) {
            throw new IllegalStateException("could not prepare the bus", e);
        }
    }

    private void deadLetterTopics() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String channel : List.of("collect", "poison", "fatal", "stall")) {
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
