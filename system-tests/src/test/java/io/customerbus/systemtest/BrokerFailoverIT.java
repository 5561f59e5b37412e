package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.kafka.BusTopics;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fault on a 3-broker bus ('./platform up --brokers 3'): the broker leading most partitions is
 * SIGKILLed in the middle of a purchase load and started again. Nothing acknowledged is lost or
 * applied twice, each customer's events stay in order, and purchase-service answers no 5xx: the
 * outbox takes purchases while the partitions elect new leaders.
 */
class BrokerFailoverIT {

    private static final String CRM_DB = "crm_systest_failover";

    private TestPlatform platform;

    @BeforeEach
    void cluster() throws Exception {
        PurchaseDatabase.recreate();
        PurchaseDatabase.recreate(CRM_DB);
        platform = TestPlatform.cluster();
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    @Test
    void theLeaderOfMostPartitionsKilledDuringAPurchaseLoadLosesNothingAndKeepsEachCustomersOrder()
            throws Exception {
        LocalKafka kafka = platform.kafka();
        ServiceProcess purchases = platform.startPurchases();
        ServiceProcess crm = platform.start("crm-subscriber", Map.of("CRM_DB", CRM_DB));
        try (PurchaseLoad load =
                new PurchaseLoad(purchases, platform.tokens(), 12).expectingOnlyCreated().start()) {
            load.awaitAcknowledged(100);
            int leader = kafka.leaderOfMostPartitions(BusTopics.CUSTOMER_EVENTS);
            kafka.kill(leader);
            long killed = System.nanoTime();
            await("the partitions elected leaders on the other brokers")
                    .atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> kafka.leaderOfMostPartitions(BusTopics.CUSTOMER_EVENTS) != leader);
            System.out.printf(
                    "broker %d killed; leaders elected elsewhere within %d ms%n",
                    leader, (System.nanoTime() - killed) / 1_000_000);
            load.awaitAcknowledged(load.acknowledged() + 300);
            kafka.start();
            load.awaitAcknowledged(load.acknowledged() + 100);
            load.stop();

            assertThat(load.otherAnswers()).as("answers other than 201 during the load").isEmpty();
            Map<UUID, CustomerEvent> onTheBus =
                    load.assertOnTheBusInOrder(kafka.bootstrapServers());
            assertThat(onTheBus)
                    .as("nothing on the bus but what was acknowledged")
                    .hasSameSizeAs(load.acknowledgedIds());
            load.assertInTheCrmOnce(crm, onTheBus);
            System.out.printf(
                    "%d purchases acknowledged during the fault, each in the CRM once and in order%n",
                    onTheBus.size());
        }
    }
}
