package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.CustomerEventFactory;
import io.customerbus.events.EventTypes;
import io.customerbus.events.kafka.BusTopics;
import io.customerbus.events.testing.BusPublisher;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outages during a purchase load, on servers the test starts and breaks itself: the broker gone for
 * longer than the relay's delivery timeout, and purchase-service's PostgreSQL stopped with {@code
 * -m immediate} (and the CRM's, under events from the bus). Nothing acknowledged is lost, nothing
 * is half-written, each customer's purchases stay in order, and the services recover by themselves
 * — none is restarted.
 */
class OutageIT {

    private static final String CRM_DB = "crm_systest_outage";

    /** The relay producer's delivery.timeout.ms (OutboxPublisher), and a margin past it. */
    private static final Duration PAST_DELIVERY_TIMEOUT = Duration.ofSeconds(15 + 5);

    private TestPlatform platform;

    @BeforeEach
    void platform() throws Exception {
        PurchaseDatabase.recreate();
        PurchaseDatabase.recreate(CRM_DB);
        platform = new TestPlatform();
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    @Test
    void aBrokerGoneForLongerThanTheDeliveryTimeoutLosesNothingAndTheRelayCatchesUpByItself()
            throws Exception {
        ServiceProcess purchases = platform.startPurchases();
        ServiceProcess crm = platform.start("crm-subscriber", Map.of("CRM_DB", CRM_DB));
        try (PurchaseLoad load =
                new PurchaseLoad(purchases, platform.tokens(), 8).expectingOnlyCreated().start()) {
            load.awaitAcknowledged(100);

            platform.kafka().stop();
            // The whole outage: purchases keep being taken into the outbox, the service stays ready
            // and says Kafka is degraded, past the point where the relay's sends in flight expired.
            await("purchase-service ready and degraded for the whole outage")
                    .during(PAST_DELIVERY_TIMEOUT)
                    .atMost(PAST_DELIVERY_TIMEOUT.plusSeconds(30))
                    .until(() -> degraded(purchases));
            assertThat(PurchaseDatabase.pendingOutboxRows())
                    .as("purchases kept in the outbox")
                    .isPositive();
            int duringOutage = load.acknowledged();
            platform.kafka().start();
            long back = System.nanoTime();
            long backlog = PurchaseDatabase.pendingOutboxRows();
            await("the relay caught up with the purchases still coming in")
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> PurchaseDatabase.pendingOutboxRows() < 50);
            long caughtUp = (System.nanoTime() - back) / 1_000_000;
            load.awaitAcknowledged(duringOutage + 100);
            load.stop();

            assertThat(load.otherAnswers()).as("answers other than 201").isEmpty();
            Map<UUID, CustomerEvent> onTheBus =
                    load.assertOnTheBusInOrder(platform.kafka().bootstrapServers());
            load.assertInTheCrmOnce(crm, onTheBus);
            await("the outbox emptied by the same relay, publishing again")
                    .atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    PurchaseDatabase.pendingOutboxRows() == 0
                                            && purchases
                                                    .get("/q/health/ready")
                                                    .body()
                                                    .contains("\"kafka\": \"publishing\""));
            System.out.printf(
                    "broker outage: %d purchases acknowledged, none lost; a backlog of %d caught up"
                            + " %d ms after the broker was back%n",
                    onTheBus.size(), backlog, caughtUp);
        }
    }

    /**
     * The network between the CRM and its database goes silent under a load (a node or a NAT lost:
     * neither side is told) and comes back: the statement the CRM was waiting on gives the link up
     * after its bound (BUS_DATASOURCE_SILENT_LINK_TIMEOUT, 10 s) instead of the operating system's
     * hours, its batch is applied again on a new connection, and every purchase is in the CRM once.
     */
    @Test
    void aCrmWhoseDatabaseLinkWentSilentUnderALoadAppliesEveryPurchaseOnceAfter() throws Exception {
        ServiceProcess purchases = platform.startPurchases();
        try (CuttableLink link = new CuttableLink(PurchaseDatabase.port())) {
            ServiceProcess crm =
                    platform.start(
                            "crm-subscriber",
                            Map.of("CRM_DB", CRM_DB, "PGPORT", Integer.toString(link.port())));
            try (PurchaseLoad load =
                    new PurchaseLoad(purchases, platform.tokens(), 4)
                            .expectingOnlyCreated()
                            .start()) {
                load.awaitAcknowledged(100);
                link.silence();
                // Silent for longer than the bound: the statement in hand gives up, and the batch's
                // retries find new connections refused; meanwhile the CRM commits nothing.
                long[] seen = {-1};
                Instant[] since = {Instant.now()};
                await("the CRM held up by its silent database, no commit for 12 s")
                        .atMost(Duration.ofSeconds(60))
                        .until(
                                () -> {
                                    long now =
                                            Observed.committed(
                                                    platform.kafka(),
                                                    "crm-subscriber",
                                                    BusTopics.CUSTOMER_EVENTS);
                                    if (now != seen[0]) {
                                        seen[0] = now;
                                        since[0] = Instant.now();
                                    }
                                    return Duration.between(since[0], Instant.now()).toSeconds()
                                            >= 12;
                                });
                link.restore();
                load.awaitAcknowledged(load.acknowledged() + 100);
                load.stop();

                assertThat(load.otherAnswers()).as("answers other than 201").isEmpty();
                load.assertInTheCrmOnce(
                        crm, load.assertOnTheBusInOrder(platform.kafka().bootstrapServers()));
            }
        }
    }

    @Test
    void postgresStoppedImmediatelyDuringAPurchaseLoadLosesNoAcknowledgedPurchaseAndHalvesNone()
            throws Exception {
        try (LocalPostgres postgres = new LocalPostgres()) {
            ServiceProcess purchases =
                    platform.startOn(postgres, "purchase-service", "PURCHASES_DB", "purchases");
            ServiceProcess crm = platform.start("crm-subscriber", Map.of("CRM_DB", CRM_DB));
            try (PurchaseLoad load = new PurchaseLoad(purchases, platform.tokens(), 8).start()) {
                load.awaitAcknowledged(100);

                postgres.stopImmediately();
                int refusedBefore = load.otherAnswers().size();
                await("clients told the service is unavailable")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> load.otherAnswers().size() >= refusedBefore + 4);
                // The requests that reach the database through Hibernate first are told so too.
                String buyer = platform.tokens().customer("outage-" + UUID.randomUUID());
                String unknown = "/api/purchases/v1/purchases/" + UUID.randomUUID();
                for (HttpResponse<String> answer :
                        List.of(
                                purchases.post(
                                        "/api/purchases/v1/purchases",
                                        buyer,
                                        "{\"productId\":\"p\",\"quantity\":1,\"unitPrice\":2.00,"
                                                + "\"currency\":\"EUR\"}",
                                        Map.of("Idempotency-Key", "outage")),
                                purchases.post(unknown + "/refund", buyer, "", Map.of()),
                                purchases.get(unknown, buyer))) {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                    assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                }
                postgres.start();
                long back = System.nanoTime();
                // The same process takes purchases again: its pool and its relay reconnect.
                load.awaitAcknowledged(load.acknowledged() + 1);
                long recovered = (System.nanoTime() - back) / 1_000_000;
                load.awaitAcknowledged(load.acknowledged() + 200);
                load.stop();

                assertThat(load.otherAnswers())
                        .as("what clients were told during the outage")
                        .allSatisfy(
                                answer ->
                                        assertThat(answer)
                                                .startsWith("503 ")
                                                .contains("\"status\":503"));
                Map<UUID, CustomerEvent> onTheBus =
                        load.assertOnTheBusInOrder(platform.kafka().bootstrapServers());
                await("the outbox emptied")
                        .atMost(Duration.ofSeconds(60))
                        .until(
                                () ->
                                        PurchaseDatabase.pendingOutboxRows(
                                                        postgres.port(), "purchases")
                                                == 0);
                // A purchase is written whole or not at all: its row and its event, never one
                // alone.
                assertThat(PurchaseDatabase.purchaseEventIds(postgres.port(), "purchases"))
                        .as("purchases in the database = purchase events on the bus")
                        .isEqualTo(onTheBus.keySet());
                load.assertInTheCrmOnce(crm, onTheBus);
                System.out.printf(
                        "database outage: %d purchases written whole, %d answered 503; the first 201"
                                + " %d ms after PostgreSQL was up again%n",
                        onTheBus.size(), load.otherAnswers().size(), recovered);
            }
        }
    }

    @Test
    void theCrmsDatabaseStoppedIsA503ForAgentsAndTheCrmCatchesUpByItselfWhenItIsBack()
            throws Exception {
        try (LocalPostgres postgres = new LocalPostgres();
                BusPublisher bus = new BusPublisher(platform.kafka().bootstrapServers())) {
            ServiceProcess crm = platform.startOn(postgres, "crm-subscriber", "CRM_DB", "crm");
            String agent = platform.tokens().agent("auditor");
            String customer = "crm-outage-" + UUID.randomUUID();
            String profile = "/api/crm/v1/customers/" + customer;
            bus.publishAll(productUses(customer, 20));
            await("the first events in the CRM")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> crm.get(profile, agent).body().contains("\"eventCount\":20,"));

            postgres.stopImmediately();
            await("agents told the CRM is unavailable, not that it failed")
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> {
                                HttpResponse<String> answer = crm.get(profile, agent);
                                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                                assertThat(answer.body()).contains("\"status\":503");
                            });
            bus.publishAll(productUses(customer, 20)); // while its database is down
            await("the CRM failing to apply them")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> crm.log().contains("could not apply"));
            postgres.start();

            await("the events of the outage applied, each once, by the same process")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> crm.get(profile, agent).body().contains("\"eventCount\":40,"));
        }
    }

    private static List<CustomerEvent> productUses(String customer, int count) {
        CustomerEventFactory devices = new CustomerEventFactory("devices");
        List<CustomerEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(devices.create(EventTypes.PRODUCT_USE, customer, "thermostat-" + i, null));
        }
        return events;
    }

    private static boolean degraded(ServiceProcess purchases) throws Exception {
        HttpResponse<String> ready = purchases.get("/q/health/ready");
        return ready.statusCode() == 200 && ready.body().contains("\"kafka\": \"degraded\"");
    }
}
