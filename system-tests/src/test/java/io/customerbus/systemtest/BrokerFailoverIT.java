package io.customerbus.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerbus.events.CustomerEvent;
import io.customerbus.events.kafka.BusTopics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final int CUSTOMERS = 12;
    private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([0-9a-f-]{36})\"");

    private TestPlatform platform;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** Per customer, the event ids of the purchases acknowledged with 201, in the order bought. */
    private final Map<String, List<UUID>> acknowledged = new ConcurrentHashMap<>();

    private final List<String> serverErrors = new CopyOnWriteArrayList<>();

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
        ServiceProcess purchases =
                platform.start(
                        "purchase-service",
                        Map.of("PURCHASES_DB", PurchaseDatabase.NAME, "DB_POOL_SIZE", "8"));
        ServiceProcess crm = platform.start("crm-subscriber", Map.of("CRM_DB", CRM_DB));

        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int worker = 0; worker < 4; worker++) {
            int first = worker;
            workers.add(
                    load.submit(
                            () -> {
                                for (int round = 0; loading.get(); round++) {
                                    for (int c = first; c < CUSTOMERS; c += 4) {
                                        buy(purchases, customer(c), round);
                                    }
                                }
                                return null;
                            }));
        }
        awaitAcknowledged(100);
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
        int beforeRestart = total() + 300;
        awaitAcknowledged(beforeRestart);
        kafka.start();
        awaitAcknowledged(total() + 100);
        loading.set(false);
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        load.shutdown();

        assertThat(serverErrors).as("answers other than 201 during the load").isEmpty();
        String agent = platform.tokens().agent("auditor");
        await("every acknowledged purchase in the CRM, once")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            for (int c = 0; c < CUSTOMERS; c++) {
                                HttpResponse<String> profile =
                                        crm.get("/api/crm/v1/customers/" + customer(c), agent);
                                assertThat(profile.body())
                                        .as(customer(c))
                                        .contains(
                                                "\"eventCount\":"
                                                        + acknowledged.get(customer(c)).size()
                                                        + ",");
                            }
                        });
        List<UUID> all = acknowledged.values().stream().flatMap(List::stream).toList();
        Map<UUID, CustomerEvent> firstSeen = new LinkedHashMap<>();
        BusReader.readUntil(kafka.bootstrapServers(), all, Duration.ofSeconds(90))
                .forEach(event -> firstSeen.putIfAbsent(event.eventId(), event));
        assertThat(firstSeen.keySet()).containsAll(all);
        for (int c = 0; c < CUSTOMERS; c++) {
            String customer = customer(c);
            List<UUID> onTheBus =
                    firstSeen.values().stream()
                            .filter(e -> e.userId().equals(customer))
                            .map(CustomerEvent::eventId)
                            .toList();
            assertThat(onTheBus)
                    .as("%s's events in the order bought", customer)
                    .isEqualTo(acknowledged.get(customer));
        }
        System.out.printf(
                "%d purchases acknowledged during the fault, each in the CRM once and in order%n",
                all.size());
    }

    private void buy(ServiceProcess purchases, String customer, int round) {
        try {
            HttpResponse<String> bought =
                    purchases.post(
                            "/api/purchases/v1/purchases",
                            platform.tokens().customer(customer),
                            "{\"productId\":\"seq-%06d\",\"quantity\":1,\"unitPrice\":2.00,\"currency\":\"EUR\"}"
                                    .formatted(round));
            Matcher id = EVENT_ID.matcher(bought.body());
            if (bought.statusCode() == 201 && id.find()) {
                acknowledged
                        .computeIfAbsent(customer, c -> new CopyOnWriteArrayList<>())
                        .add(UUID.fromString(id.group(1)));
            } else {
                serverErrors.add(bought.statusCode() + " " + bought.body());
            }
        } catch (Exception e) {
            serverErrors.add(e.toString());
        }
    }

    private int total() {
        return acknowledged.values().stream().mapToInt(List::size).sum();
    }

    private void awaitAcknowledged(int count) {
        await(count + " purchases acknowledged")
                .atMost(Duration.ofSeconds(120))
                .until(() -> total() >= count || !serverErrors.isEmpty());
    }

    private String customer(int c) {
        return "failover-" + run + "-" + c;
    }
}
